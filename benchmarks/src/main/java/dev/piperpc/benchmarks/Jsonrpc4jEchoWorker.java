package dev.piperpc.benchmarks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.googlecode.jsonrpc4j.JsonRpcBasicServer;

import java.io.BufferedInputStream;
import java.io.PushbackInputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The jsonrpc4j peer's worker: a {@link JsonRpcBasicServer} answering one request at a time from
 * stdin on stdout (jsonrpc4j's stream client sends one call at a time).
 */
public final class Jsonrpc4jEchoWorker {

    /** The methods served. */
    public static final class Service {
        public List<Object> echo(Object number, Object text) {
            return Arrays.asList(number, text);
        }

        public long sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
            return millis;
        }
    }

    private Jsonrpc4jEchoWorker() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
        JsonRpcBasicServer server = new JsonRpcBasicServer(mapper, new Service());
        PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(System.in));
        while (true) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            in.unread(next);
            server.handleRequest(in, System.out);
            System.out.flush();
        }
        System.exit(0);
    }
}
