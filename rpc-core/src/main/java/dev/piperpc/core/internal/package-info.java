/**
 * Internal: pending calls and their table, the JVM-wide scheduler thread
 * ({@code piperpc-timers}, which also runs the other timers), incoming calls, the bounded inbound queue, proxies. Not API: exported
 * to the sibling modules only. {@code PendingCall} and {@code PendingTable} are used from any
 * thread; {@code InboundQueue} is fed by one I/O thread and drained by executor threads.
 */
package dev.piperpc.core.internal;
