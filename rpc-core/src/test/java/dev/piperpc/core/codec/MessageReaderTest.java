package dev.piperpc.core.codec;

import dev.piperpc.core.message.DecodedFrame;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.ErrorObject;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageReaderTest {

    private final MessageReader codec = new MessageReader();
    private final MessageWriter writer = new MessageWriter(new com.fasterxml.jackson.databind.ObjectMapper());

    private Message single(String json) {
        DecodedFrame frame = codec.decode(json.getBytes(StandardCharsets.UTF_8));
        assertFalse(frame.batch(), "not a batch");
        assertEquals(1, frame.messages().size());
        return frame.messages().get(0);
    }

    private void assertInvalid(String json, int code) {
        InvalidMessage invalid = assertInstanceOf(InvalidMessage.class, single(json), json);
        assertEquals(code, invalid.error().code(), json);
    }

    @Test
    void decodesRequestWithMembersInAnyOrder() {
        Request request = assertInstanceOf(Request.class,
                single("{\"params\": [1, \"two\"], \"id\": 7, \"method\": \"echo\", \"jsonrpc\": \"2.0\"}"));
        assertEquals(Id.of(7), request.id());
        assertEquals("echo", request.method());
        assertEquals("[1, \"two\"]", request.params().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "-2.5e3", "\"text with \\\" quote\"", "true", "false", "null", "{\"a\":[1,{}]}",
            "[]", "\"ünïcödé ✓\"", "12345678901234567890"})
    void keepsResultsAsTheirExactText(String value) {
        for (String json : List.of(
                "{\"jsonrpc\":\"2.0\",\"result\":" + value + ",\"id\":1}",
                "{\"result\" :  " + value + "  , \"jsonrpc\":\"2.0\",\"id\":\"x\"}",
                "  {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + value + "}  ")) {
            Response response = assertInstanceOf(Response.class, single(json), json);
            assertEquals(value, response.result().toString(), json);
        }
    }

    @Test
    void slicesValuesInsideALargerArrayWithAnOffset() {
        byte[] padded = "xx{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":\"abc\"}yy".getBytes(StandardCharsets.UTF_8);
        DecodedFrame frame = codec.decode(padded, 2, padded.length - 4);
        Response response = assertInstanceOf(Response.class, frame.messages().get(0));
        assertEquals("\"abc\"", response.result().toString());
    }

    @Test
    void readsIdsOfEveryKind() {
        assertEquals(Id.of("abc"), ((Request) single("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"m\"}")).id());
        assertEquals(Id.NULL, ((Request) single("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\"}")).id());
        assertEquals(Id.ofNumber(new BigDecimal("1.5")),
                ((Request) single("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"m\"}")).id());
        assertEquals(Id.of(4), ((Request) single("{\"jsonrpc\":\"2.0\",\"id\":4.0,\"method\":\"m\"}")).id());
        assertEquals(Id.ofNumber(new BigDecimal("123456789012345678901234")),
                ((Request) single("{\"jsonrpc\":\"2.0\",\"id\":123456789012345678901234,\"method\":\"m\"}")).id());
    }

    @Test
    void decodesNotificationsAndErrors() {
        Notification notification = assertInstanceOf(Notification.class,
                single("{\"jsonrpc\":\"2.0\",\"method\":\"progress\",\"params\":{\"pct\":5}}"));
        assertEquals("{\"pct\":5}", notification.params().toString());
        Response error = assertInstanceOf(Response.class,
                single("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"data\":[1],\"message\":\"boom\",\"code\":-32000}}"));
        assertEquals(new ErrorObject(-32000, "boom", RawJson.parse("[1]")), error.error());
        assertNull(error.result());
    }

    @Test
    void rejectsWhatTheSpecificationForbids() {
        assertInvalid("{\"method\":\"m\",\"id\":1}", ErrorCodes.INVALID_REQUEST);
        assertInvalid("{\"jsonrpc\":\"1.0\",\"method\":\"m\",\"id\":1}", ErrorCodes.INVALID_REQUEST);
        assertInvalid("{\"jsonrpc\":\"2.0\",\"method\":1}", ErrorCodes.INVALID_REQUEST);
        assertInvalid("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":\"bar\"}", ErrorCodes.INVALID_REQUEST);
        assertInvalid("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":{}}", ErrorCodes.INVALID_REQUEST);
        assertInvalid("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1,\"error\":{\"code\":1,\"message\":\"x\"}}",
                ErrorCodes.INVALID_REQUEST);
        assertInvalid("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":\"x\",\"message\":\"x\"}}",
                ErrorCodes.INVALID_REQUEST);
        assertInvalid("{\"jsonrpc\":\"2.0\",\"result\":1}", ErrorCodes.INVALID_REQUEST);
        assertInvalid("{\"jsonrpc\":\"2.0\"}", ErrorCodes.INVALID_REQUEST);
        assertInvalid("42", ErrorCodes.INVALID_REQUEST);
        assertInvalid("[]", ErrorCodes.INVALID_REQUEST);
        assertInvalid("{\"jsonrpc\":\"2.0\",\"method\":\"m\"", ErrorCodes.PARSE_ERROR);
        assertInvalid("{\"jsonrpc\":\"2.0\",\"method\":\"m\"} {}", ErrorCodes.PARSE_ERROR);
        assertInvalid("", ErrorCodes.PARSE_ERROR);
        assertInvalid("not json", ErrorCodes.PARSE_ERROR);
    }

    @Test
    void keepsTheIdOfAnInvalidRequestWhenItCouldBeRead() {
        InvalidMessage invalid = assertInstanceOf(InvalidMessage.class, single("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":5}"));
        assertEquals(Id.of(9), invalid.id());
        assertFalse(invalid.looksLikeResponse());
        InvalidMessage response = assertInstanceOf(InvalidMessage.class, single("{\"id\":9,\"result\":5}"));
        assertTrue(response.looksLikeResponse());
    }

    @Test
    void encodesAndDecodesEveryKindOfMessage() {
        List<Message> messages = List.of(
                new Request(Id.of(1), "subtract", RawJson.parse("[42,23]")),
                new Request(Id.of("q\"1"), "tricky \"name\" ✓", null),
                new Notification("update", RawJson.parse("{\"a\":[1,2]}")),
                Response.success(Id.of(2), RawJson.parse("\"ok\"")),
                Response.failure(Id.NULL, new ErrorObject(-32700, "Parse error", RawJson.parse("{\"at\":1}"))),
                Response.failure(Id.of(3), ErrorObject.of(-1, "x")));
        for (Message message : messages) {
            byte[] encoded = writer.message(message);
            assertEquals(message, single(new String(encoded, StandardCharsets.UTF_8)), new String(encoded, StandardCharsets.UTF_8));
        }
        DecodedFrame batch = codec.decode(writer.batch(messages));
        assertTrue(batch.batch());
        assertEquals(messages, batch.messages());
    }

    @Test
    void encodesCompactly() {
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[1,\"x\"]}",
                new String(writer.message(new Request(Id.of(1), "echo", RawJson.parse("[1,\"x\"]"))), StandardCharsets.UTF_8));
    }
}
