/**
 * The transport SPI between an endpoint and what moves its bytes, with its one backpressure
 * contract, and an in-memory transport. API. A transport calls its listener from one I/O thread
 * at a time; {@code send}, {@code sendControl}, {@code setReading} and {@code isWritable} may be
 * called from any thread.
 */
package dev.piperpc.core.transport;
