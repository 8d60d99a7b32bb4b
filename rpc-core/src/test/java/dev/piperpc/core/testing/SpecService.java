package dev.piperpc.core.testing;

import com.googlecode.jsonrpc4j.JsonRpcMethod;
import com.googlecode.jsonrpc4j.JsonRpcParam;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The methods the examples of the JSON-RPC 2.0 specification call. */
public final class SpecService {

    /** Notifications received, as "method:params". */
    public final List<String> notifications = new CopyOnWriteArrayList<>();

    public int subtract(@JsonRpcParam("minuend") int minuend, @JsonRpcParam("subtrahend") int subtrahend) {
        return minuend - subtrahend;
    }

    public int sum(int a, int b, int c) {
        return a + b + c;
    }

    public void update(int a, int b, int c, int d, int e) {
        notifications.add("update:" + List.of(a, b, c, d, e));
    }

    public void foobar() {
        notifications.add("foobar");
    }

    @JsonRpcMethod("notify_hello")
    public void notifyHello(int value) {
        notifications.add("notify_hello:" + value);
    }

    @JsonRpcMethod("notify_sum")
    public void notifySum(int a, int b, int c) {
        notifications.add("notify_sum:" + (a + b + c));
    }

    @JsonRpcMethod("get_data")
    public List<Object> getData() {
        return List.of("hello", 5);
    }
}
