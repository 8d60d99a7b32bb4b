package dev.piperpc.core.internal.dispatch;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.internal.UntypedValues;
import dev.piperpc.core.testing.RawPeer;
import dev.piperpc.core.transport.InMemoryTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Params by position read without a parser bind to what the parser binds: the same answers, values
 * and errors, from a server whose mapper reads them without a parser and one whose mapper does not.
 */
class ParamsWithoutParserTest {

    /** Says what it was given, with the classes. */
    public static final class Service {
        public String plain(String text, int number, long big, boolean flag, Object any) {
            return text + "|" + number + "|" + big + "|" + flag + "|" + any + ":" + (any == null ? "null" : any.getClass().getSimpleName());
        }

        public String boxed(Integer number, Long big, Boolean flag, Optional<String> text) {
            return number + "|" + big + "|" + flag + "|" + text;
        }
    }

    private final List<Endpoint> servers = new ArrayList<>();

    @AfterEach
    void close() {
        servers.forEach(Endpoint::close);
    }

    private RawPeer serve(ObjectMapper mapper) {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        servers.add(Endpoint.builder().mapper(mapper).service(new Service()).connect(pair.right()));
        return new RawPeer(pair.left());
    }

    @Test
    void bindsAsTheParserDoes() {
        ObjectMapper withoutParser = new ObjectMapper();
        // The fast double parser reads doubles to the same values, but leaves every param to the parser.
        ObjectMapper parserOnly = JsonMapper.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
        assertNotNull(UntypedValues.of(withoutParser));
        assertNull(UntypedValues.of(parserOnly));
        RawPeer fast = serve(withoutParser);
        RawPeer slow = serve(parserOnly);
        List<String> calls = List.of(
                "\"plain\",\"params\":[\"abc\",1,2,true,\"x\"]",
                "\"plain\",\"params\":[\"ü✓\\n\\u0041\",-2147483648,9223372036854775807,false,{\"k\":[1,2.5,null]}]",
                "\"plain\",\"params\":[\"\",0,-1,true,12345678901234567890]",
                "\"plain\",\"params\":[\"a\",2147483647,2147483648,false,null]",
                "\"plain\",\"params\":[\"a\",1,1,true,1.5e300]",
                "\"plain\",\"params\":[\"a\",\"5\",1,true,1]",
                "\"plain\",\"params\":[\"a\",2147483648,1,true,1]",
                "\"plain\",\"params\":[\"a\",1.5,1,true,1]",
                "\"plain\",\"params\":[5,1,1,true,1]",
                "\"plain\",\"params\":[null,1,1,true,1]",
                "\"plain\",\"params\":[\"a\",null,1,true,1]",
                "\"plain\",\"params\":[\"a\",1,1,\"true\",1]",
                "\"plain\",\"params\":[\"a\",1,1,true]",
                "\"plain\",\"params\":[\"a\",1,1,true,1,2]",
                "\"plain\",\"params\":[\"a\",1,9223372036854775808,true,1]",
                "\"plain\",\"params\":{\"text\":\"a\"}",
                "\"boxed\",\"params\":[1,2,true,\"t\"]",
                "\"boxed\",\"params\":[null,null,null,null]",
                "\"boxed\",\"params\":[1,2,true]",
                "\"boxed\",\"params\":[1,2,true,5]");
        int id = 0;
        for (String call : calls) {
            id++;
            String request = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":" + call + "}";
            fast.send(request);
            slow.send(request);
            assertEquals(slow.next(), fast.next(), request);
        }
    }
}
