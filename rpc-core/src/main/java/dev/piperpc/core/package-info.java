/**
 * The API of piperpc: {@link dev.piperpc.core.Endpoint} (one side of a JSON-RPC 2.0 connection),
 * {@link dev.piperpc.core.Rpc} (the call styles an endpoint and a pool share), {@link dev.piperpc.core.Call},
 * batches, completion queues, params and the exceptions every call can end with.
 *
 * <p>Threads: API methods may be called from any thread. An endpoint's transport delivers
 * messages on its I/O thread, where the endpoint only decodes, matches ids and queues work; it
 * never runs user code there. Handlers, callbacks ({@code whenDone}) and futures run on the
 * endpoint's executor; {@code join()} and {@code call()} return on the calling thread.
 */
package dev.piperpc.core;
