package dev.piperpc.core.internal.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.googlecode.jsonrpc4j.JsonRpcError;
import com.googlecode.jsonrpc4j.JsonRpcErrors;
import com.googlecode.jsonrpc4j.JsonRpcMethod;
import com.googlecode.jsonrpc4j.JsonRpcParam;
import com.googlecode.jsonrpc4j.JsonRpcService;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.OptionalParam;
import dev.piperpc.core.RequestContext;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.testing.RawPeer;
import dev.piperpc.core.transport.InMemoryTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceMethodsTest {

    private Endpoint server;
    private RawPeer client;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private void serve(Object... services) {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        Endpoint.Builder builder = Endpoint.builder();
        for (Object service : services) {
            builder.service(service);
        }
        server = builder.connect(pair.right());
        client = new RawPeer(pair.left());
    }

    private JsonNode call(String method, String params) {
        client.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}");
        JsonNode answer = client.nextTree();
        assertEquals(1, answer.get("id").asInt(), answer.toString());
        return answer;
    }

    private String result(String method, String params) {
        JsonNode answer = call(method, params);
        assertFalse(answer.has("error"), answer.toString());
        return answer.get("result").toString();
    }

    private JsonNode error(String method, String params) {
        JsonNode answer = call(method, params);
        assertTrue(answer.has("error"), answer.toString());
        return answer.get("error");
    }

    /** A service with every kind of parameter and return value. */
    public static final class Images {
        @JsonRpcMethod("thumbnail")
        public String thumbnail(@JsonRpcParam("url") String url, @JsonRpcParam("width") int width) {
            return url + "@" + width;
        }

        public String resize(@JsonRpcParam("url") String url, @JsonRpcParam("width") @OptionalParam Integer width,
                             @JsonRpcParam("height") Optional<Integer> height) {
            return url + " " + width + "x" + height.map(String::valueOf).orElse("auto");
        }

        public int area(int side) {
            return side * side;
        }

        public int area(int width, int height) {
            return width * height;
        }

        public List<Integer> totals(List<List<Integer>> rows) {
            return rows.stream().map(row -> row.stream().mapToInt(Integer::intValue).sum()).toList();
        }

        public CompletableFuture<String> later(String text) {
            return CompletableFuture.supplyAsync(() -> "later " + text);
        }

        public CompletableFuture<String> laterFails() {
            return CompletableFuture.failedFuture(new IllegalStateException("async failure"));
        }

        public String whoCalls(RequestContext context, String suffix) {
            return context.method() + "/" + context.id() + "/" + suffix;
        }

        public void fail(String message) {
            throw new IllegalArgumentException(message);
        }

        public void failWithCode() {
            throw new RpcException(42, "the answer", dev.piperpc.core.message.RawJson.parse("{\"hint\":\"six by nine\"}"));
        }

        @JsonRpcErrors({@JsonRpcError(exception = UnsupportedOperationException.class, code = 1001, message = "not supported")})
        public void unsupported() {
            throw new UnsupportedOperationException("nope");
        }
    }

    @Test
    void bindsNamedAndPositionalParams() {
        serve(new Images());
        assertEquals("\"a.png@64\"", result("thumbnail", "{\"width\":64,\"url\":\"a.png\"}"));
        assertEquals("\"a.png@64\"", result("thumbnail", "[\"a.png\",64]"));
        assertEquals("[3,7]", result("totals", "[[[1,2],[3,4]]]"));
    }

    @Test
    void optionalParamsMayBeLeftOut() {
        serve(new Images());
        assertEquals("\"a nullxauto\"", result("resize", "{\"url\":\"a\"}"));
        assertEquals("\"a 10xauto\"", result("resize", "[\"a\",10]"));
        assertEquals("\"a 10x20\"", result("resize", "{\"url\":\"a\",\"width\":10,\"height\":20}"));
        JsonNode missing = error("resize", "{\"width\":10}");
        assertEquals(ErrorCodes.INVALID_PARAMS, missing.get("code").asInt());
        assertTrue(missing.get("data").asText().contains("missing param 'url'"), missing.toString());
    }

    @Test
    void overloadsAreChosenByNumberOfParams() {
        serve(new Images());
        assertEquals("25", result("area", "[5]"));
        assertEquals("12", result("area", "[3,4]"));
        assertEquals(ErrorCodes.INVALID_PARAMS, error("area", "[1,2,3]").get("code").asInt());
    }

    @Test
    void wrongParamsNameTheParameter() {
        serve(new Images());
        JsonNode wrongType = error("thumbnail", "{\"url\":\"a\",\"width\":\"wide\"}");
        assertEquals(ErrorCodes.INVALID_PARAMS, wrongType.get("code").asInt());
        assertTrue(wrongType.get("data").asText().startsWith("param 'width' (int)"), wrongType.toString());
        JsonNode unknown = error("thumbnail", "{\"url\":\"a\",\"widht\":3}");
        assertTrue(unknown.get("data").asText().contains("unknown param 'widht'"), unknown.toString());
        JsonNode tooMany = error("thumbnail", "[\"a\",1,2]");
        assertTrue(tooMany.get("data").asText().contains("too many params"), tooMany.toString());
        JsonNode nullPrimitive = error("thumbnail", "[\"a\",null]");
        assertTrue(nullPrimitive.get("data").asText().contains("cannot be null"), nullPrimitive.toString());
    }

    @Test
    void futuresAreAnsweredWhenTheyComplete() {
        serve(new Images());
        assertEquals("\"later x\"", result("later", "[\"x\"]"));
        JsonNode failure = error("laterFails", null);
        assertEquals("async failure", failure.get("message").asText());
    }

    @Test
    void theRequestContextIsInjected() {
        serve(new Images());
        assertEquals("\"whoCalls/1/z\"", result("whoCalls", "[\"z\"]"));
    }

    @Test
    void exceptionsBecomeErrorObjects() {
        serve(new Images());
        JsonNode plain = error("fail", "[\"bad input\"]");
        assertEquals(ErrorCodes.APPLICATION_ERROR, plain.get("code").asInt());
        assertEquals("bad input", plain.get("message").asText());
        assertEquals("java.lang.IllegalArgumentException", plain.get("data").get("exceptionTypeName").asText());
        assertFalse(plain.toString().contains("at dev.piperpc"), "no stack trace");

        JsonNode coded = error("failWithCode", null);
        assertEquals(42, coded.get("code").asInt());
        assertEquals("six by nine", coded.get("data").get("hint").asText());

        JsonNode declared = error("unsupported", null);
        assertEquals(1001, declared.get("code").asInt());
        assertEquals("not supported", declared.get("message").asText());
    }

    /** Methods whose last parameter is varargs. */
    public static final class Variadic {
        public int count(int... values) {
            return values.length;
        }

        public int total(int... values) {
            return java.util.Arrays.stream(values).sum();
        }

        public String join(String separator, String... parts) {
            return String.join(separator, parts);
        }

        public List<Object> echo(Object... params) {
            return java.util.Arrays.asList(params);
        }

        @SafeVarargs
        public final String described(RequestContext context, List<Integer>... lists) {
            return context.method() + ":" + java.util.Arrays.toString(lists);
        }
    }

    @Test
    void aTrailingVarargsParameterTakesTheRemainingPositionalParams() {
        serve(new Variadic());
        assertEquals("0", result("count", "[]"));
        assertEquals("0", result("count", null), "no params at all: an empty array");
        assertEquals("3", result("count", "[7,8,9]"));
        assertEquals("24", result("total", "[7,8,9]"));
        assertEquals("\"\"", result("join", "[\"-\"]"));
        assertEquals("\"a-b-c\"", result("join", "[\"-\",\"a\",\"b\",\"c\"]"));
        assertEquals("[1,\"two\",{\"three\":3},null]", result("echo", "[1,\"two\",{\"three\":3},null]"));
        assertEquals("[]", result("echo", "[]"));
        assertEquals("\"described:[[1, 2], []]\"", result("described", "[[1,2],[]]"), "generic elements, context injected");
    }

    @Test
    void byNameAVarargsParameterTakesAnArrayOrIsLeftOut() {
        serve(new Variadic());
        assertEquals("\"a+b\"", result("join", "{\"separator\":\"+\",\"parts\":[\"a\",\"b\"]}"));
        assertEquals("\"\"", result("join", "{\"separator\":\"+\"}"));
        JsonNode notAnArray = error("join", "{\"separator\":\"+\",\"parts\":{\"a\":1}}");
        assertEquals(ErrorCodes.INVALID_PARAMS, notAnArray.get("code").asInt());
        assertTrue(notAnArray.get("data").asText().startsWith("param 'parts' (java.lang.String[])"), notAnArray.toString());
    }

    @Test
    void varargsElementsOfTheWrongTypeAreInvalidParams() {
        serve(new Variadic());
        JsonNode text = error("total", "[1,2,\"three\"]");
        assertEquals(ErrorCodes.INVALID_PARAMS, text.get("code").asInt());
        assertTrue(text.get("data").asText().startsWith("param #3 of 'values...' (int): "), text.toString());
        JsonNode nullElement = error("total", "[1,null]");
        assertEquals(ErrorCodes.INVALID_PARAMS, nullElement.get("code").asInt());
        assertEquals("param #2 of 'values...' (int) cannot be null", nullElement.get("data").asText());
        JsonNode object = error("join", "[\"-\",\"a\",{\"b\":1}]");
        assertTrue(object.get("data").asText().startsWith("param #3 of 'parts...' (java.lang.String): "), object.toString());
        JsonNode missingFixed = error("join", "[]");
        assertTrue(missingFixed.get("data").asText().contains("missing param 'separator'"), missingFixed.toString());
    }

    /** A jsonrpc4j-style service: annotations on the interface, the implementation plain. */
    @JsonRpcService("/users")
    public interface UserService {
        @JsonRpcMethod("user.create")
        Map<String, Object> create(@JsonRpcParam("name") String name, @JsonRpcParam("age") int age);
    }

    /** The implementation. */
    public static final class UserServiceImpl implements UserService {
        @Override
        public Map<String, Object> create(String name, int age) {
            return Map.of("name", name, "age", age);
        }
    }

    @Test
    void honoursAnnotationsOnTheInterfaceAsJsonrpc4jDoes() {
        serve(new UserServiceImpl());
        JsonNode user = RawPeer.tree(result("user.create", "{\"name\":\"Ada\",\"age\":36}"));
        assertEquals("Ada", user.get("name").asText());
        assertEquals(36, user.get("age").asInt());
    }

    /** A method whose param binding depends on the mapper's settings. */
    public static final class Totals {
        public int total(List<Integer> values) {
            return values.stream().mapToInt(Integer::intValue).sum();
        }
    }

    @Test
    void paramsAreBoundWithTheMapperSetEvenAfterTheService() {
        com.fasterxml.jackson.databind.ObjectMapper lenient = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        server = Endpoint.builder().service(new Totals()).mapper(lenient).connect(pair.right());
        client = new RawPeer(pair.left());
        assertEquals("5", result("total", "[5]"), "a single value accepted as a list, as the mapper set last allows");
        assertEquals("6", result("total", "[[1,2,3]]"));
    }

    /** Two methods that cannot be told apart. */
    public static final class Ambiguous {
        public int f(int a) {
            return a;
        }

        public String f(String a) {
            return a;
        }
    }

    @Test
    void ambiguousOverloadsAreRejectedAtRegistration() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Endpoint.builder().service(new Ambiguous()));
        assertTrue(error.getMessage().contains("cannot be told apart"), error.getMessage());
    }

    @Test
    void twoServicesCannotExposeOneName() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Endpoint.builder().service(new Images()).service(new Images()));
        assertTrue(error.getMessage().contains("already has a handler"), error.getMessage());
    }
}
