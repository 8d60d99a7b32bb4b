/**
 * The transport SPI between an endpoint and what moves its bytes, with its one backpressure
 * contract, and an in-memory transport; and the acceptor SPI ({@link dev.piperpc.core.transport.Acceptor},
 * {@link dev.piperpc.core.transport.AcceptorProvider}) through which a worker serves connections
 * that come to it (a request queue) rather than its own stdio. API. A transport calls its listener
 * from one I/O thread at a time; {@code send}, {@code sendControl}, {@code setReading} and
 * {@code isWritable} may be called from any thread. An acceptor calls back on its own thread.
 */
package dev.piperpc.core.transport;
