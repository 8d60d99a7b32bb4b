/**
 * The same JSON-RPC calls over Amazon SQS (API): managers put requests on a request queue shared by
 * any number of worker hosts, and each manager reads its answers from a reply queue of its own.
 *
 * <p>A message body is one JSON-RPC message or batch, byte for byte what a pipe carries; the
 * message attributes named in {@link dev.piperpc.queue.QueueWire} carry the reply queue, the
 * call's deadline and the trace context. SQS does the distribution, retries and dead-lettering.
 *
 * <p>Threads: sends are queued by the caller and sent by sender threads of the client; one
 * receiver thread long-polls the reply queue. No user code runs on either.
 */
package dev.piperpc.queue;
