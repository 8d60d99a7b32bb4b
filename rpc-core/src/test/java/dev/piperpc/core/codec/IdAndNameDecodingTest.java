package dev.piperpc.core.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.InvalidMessage;
import dev.piperpc.core.message.Message;
import dev.piperpc.core.message.Notification;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Request;
import dev.piperpc.core.message.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ids at the edges of {@code long} and beyond, and member names and versions however they are spelled. */
class IdAndNameDecodingTest {

    private final MessageReader reader = new MessageReader();
    private final MessageWriter writer = new MessageWriter(new ObjectMapper());

    private Message single(String json) {
        return reader.decode(json.getBytes(StandardCharsets.UTF_8)).messages().get(0);
    }

    private Id requestId(String idJson) {
        return assertInstanceOf(Request.class, single("{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"method\":\"m\"}")).id();
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Test
    void idsAtTheEdgesOfLongAreLongs() {
        for (long edge : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1,
                Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE, Integer.MIN_VALUE - 1L, 0, -1, 1}) {
            Id id = requestId(Long.toString(edge));
            assertTrue(id.isLong(), Long.toString(edge));
            assertEquals(edge, id.asLong());
            assertEquals(Id.of(edge), id);
            assertEquals(Id.of(edge).hashCode(), id.hashCode());
            assertEquals(Long.toString(edge), id.toString());
            assertNull(id.numberText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
            "1e999", "-1E+400", "2.5", "1.0e-5", "9223372036854775807.5"})
    void idsBeyondLongAreKeptAsWrittenAndAnsweredAsWritten(String written) {
        Id id = requestId(written);
        assertFalse(id.isLong(), written);
        assertTrue(id.isNumber(), written);
        assertEquals(written, id.numberText());
        assertEquals(written, id.toString());
        assertEquals(Id.ofNumber(new BigDecimal(written)), id);
        assertEquals(Id.ofNumber(new BigDecimal(written)).hashCode(), id.hashCode());
        String answer = text(writer.result(id, "ok", new ObjectMapper()));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":" + written + ",\"result\":\"ok\"}", answer);
        assertEquals(id, ((Response) single(answer)).id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-73e615114711471397", "1e9999999999", "1.5E-2147483649"})
    void idsTooLargeToReadAreAParseError(String written) {
        for (String json : new String[] {"{\"jsonrpc\":\"2.0\",\"id\":" + written + ",\"method\":\"m\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":" + written + ",\"result\":1}"}) {
            InvalidMessage invalid = assertInstanceOf(InvalidMessage.class, single(json), json);
            assertEquals(ErrorCodes.PARSE_ERROR, invalid.error().code(), json);
            assertTrue(invalid.error().data().toString().contains("the id " + written + " is a number too large to read"),
                    invalid.error().data().toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.0", "4e0", "0.4e1", "40E-1", "4.000"})
    void integralIdsWrittenAsDecimalsAreLongs(String written) {
        Id id = requestId(written);
        assertTrue(id.isLong(), written);
        assertEquals(Id.of(4), id);
        assertEquals(Id.of(4).hashCode(), id.hashCode());
    }

    @Test
    void idsOfDifferentKindsDiffer() {
        assertNotEquals(Id.of(0), Id.NULL);
        assertNotEquals(Id.NULL, Id.of(0));
        assertNotEquals(Id.of(5), Id.of("5"));
        assertNotEquals(Id.of("null"), Id.NULL);
        assertEquals(Id.of(0), requestId("-0"));
        assertEquals(Id.of(0), requestId("0.0e7"));
        assertTrue(requestId("null").isNull());
        assertFalse(Id.of(0).isNull());
        assertEquals("null", Id.NULL.toString());
        assertEquals("\"7\"", Id.of("7").toString());
    }

    @Test
    void randomLongIdsSurviveAWriteAndARead() {
        Random random = new Random(20240511);
        for (int i = 0; i < 2_000; i++) {
            long id = switch (i % 4) {
                case 0 -> random.nextLong();
                case 1 -> random.nextInt();
                case 2 -> Long.MAX_VALUE - random.nextInt(1_000);
                default -> Long.MIN_VALUE + random.nextInt(1_000);
            };
            Request request = assertInstanceOf(Request.class, reader.decode(writer.request(id, "m", null)).messages().get(0));
            assertEquals(Id.of(id), request.id());
            assertEquals(id, request.id().asLong());
            Response response = assertInstanceOf(Response.class,
                    reader.decode(writer.message(Response.success(Id.of(id), RawJson.NULL))).messages().get(0));
            assertEquals(Id.of(id), response.id());
        }
    }

    @Test
    void membersAndVersionSpelledWithEscapesAreRead() {
        Request request = assertInstanceOf(Request.class,
                single("{\"\\u006asonrpc\":\"\\u0032.0\",\"\\u0069d\":3,\"\\u006dethod\":\"ech\\u006f\",\"p\\u0061rams\":[1]}"));
        assertEquals(Id.of(3), request.id());
        assertEquals("echo", request.method());
        assertEquals("[1]", request.params().toString());
        Response response = assertInstanceOf(Response.class, single("{\"jsonrpc\":\"2.0\",\"id\":1,\"r\\u0065sult\":5}"));
        assertEquals("5", response.result().toString());
    }

    @Test
    void namesThatOnlyStartLikeMembersAreOtherMembers() {
        Request request = assertInstanceOf(Request.class, single("{\"jsonrpcx\":1,\"jsonrpc\":\"2.0\",\"i\":2,\"idd\":3,"
                + "\"id\":4,\"methods\":5,\"metho\":6,\"method\":\"m\",\"param\":7,\"paramsx\":8,\"params\":[9],"
                + "\"results\":10,\"errors\":11}"));
        assertEquals(Id.of(4), request.id());
        assertEquals("m", request.method());
        assertEquals("[9]", request.params().toString());
        assertInstanceOf(InvalidMessage.class, single("{\"jsonrpcx\":\"2.0\",\"id\":1,\"method\":\"m\"}"));
        assertInstanceOf(Notification.class, single("{\"jsonrpc\":\"2.0\",\"idx\":1,\"method\":\"m\"}"));
    }

    @Test
    void membersInEveryOrderAndLayoutAreRead() {
        String[] members = {"\"jsonrpc\" : \"2.0\"", "\"id\":\n 5", "\"method\"\t:\"m\"", "\"params\":{\"a\":[]}"};
        int[][] orders = {{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 0, 3, 2}, {2, 3, 0, 1}, {0, 2, 1, 3}, {1, 3, 0, 2}};
        for (int[] order : orders) {
            StringBuilder json = new StringBuilder("\n{ ");
            for (int i = 0; i < order.length; i++) {
                json.append(i > 0 ? " ,\r\n" : "").append(members[order[i]]);
            }
            json.append(" }\n");
            Request request = assertInstanceOf(Request.class, single(json.toString()), json.toString());
            assertEquals(new Request(Id.of(5), "m", RawJson.parse("{\"a\":[]}")), request);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2.00\"", "\"2.\"", "\"2.0 \"", "\" 2.0\"", "\"2,0\"", "\"20\"", "\"\"", "\"3.0\"", "2.0", "null",
            "[\"2.0\"]", "{\"v\":\"2.0\"}", "\"2.0\\u0000\""})
    void onlyTheString2Point0IsTheVersion(String version) {
        InvalidMessage invalid = assertInstanceOf(InvalidMessage.class,
                single("{\"jsonrpc\":" + version + ",\"id\":1,\"method\":\"m\"}"), version);
        assertEquals(ErrorCodes.INVALID_REQUEST, invalid.error().code());
        assertEquals("\"\\\"jsonrpc\\\" must be \\\"2.0\\\"\"", invalid.error().data().toString());
        assertEquals(Id.of(1), invalid.id());
    }

    @Test
    void theLastVersionMemberCounts() {
        assertInstanceOf(Notification.class, single("{\"jsonrpc\":\"1.0\",\"jsonrpc\":\"2.0\",\"method\":\"m\"}"));
        assertInstanceOf(InvalidMessage.class, single("{\"jsonrpc\":\"2.0\",\"jsonrpc\":\"1.0\",\"method\":\"m\"}"));
    }

    @Test
    void aMissingVersionIsToldApartFromAWrongOne() {
        InvalidMessage invalid = assertInstanceOf(InvalidMessage.class, single("{\"id\":1,\"method\":\"m\"}"));
        assertEquals("\"missing \\\"jsonrpc\\\": \\\"2.0\\\"\"", invalid.error().data().toString());
    }
}
