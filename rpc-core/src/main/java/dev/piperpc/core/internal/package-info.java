/**
 * Internal: pending calls and their table, the JVM-wide scheduler thread
 * ({@code piperpc-timers}, which also runs the other timers), incoming calls and the table of those
 * running, the bounded inbound queue, proxies, untyped values read without a parser, bytes
 * looked at eight at a time ({@code ByteWords}, for the codec and the framing). Not API:
 * exported to the sibling modules only. {@code PendingCall}, {@code PendingTable},
 * {@code RunningCalls} and {@code UntypedValues} are used from any thread; {@code InboundQueue} is
 * fed by one I/O thread and drained by executor threads.
 */
package dev.piperpc.core.internal;
