/**
 * Call listeners: what an endpoint tells about the calls it makes and the requests it handles,
 * for metrics and tracing. {@link dev.piperpc.core.listen.CallListener} is registered on
 * {@link dev.piperpc.core.Endpoint.Builder#callListener}; a worker pool, a worker and a queue
 * client take one too. API.
 *
 * <p>Threads: a listener is called on whichever thread the event happens on: the transport's I/O
 * thread (the reactor of every worker of the JVM, or a worker's stdin reader), the timer thread,
 * a caller's thread or a handler's thread. Its methods must be quick and must never block; what
 * they throw is logged and otherwise ignored.
 */
package dev.piperpc.core.listen;
