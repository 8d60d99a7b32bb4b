package dev.piperpc.cli;

import dev.piperpc.core.Rpc;

/** What {@code call} and {@code send} talk to, a worker started for them or a request queue, and how to let it go. */
record Connection(Rpc rpc, Runnable closer) implements AutoCloseable {
    @Override
    public void close() {
        closer.run();
    }
}
