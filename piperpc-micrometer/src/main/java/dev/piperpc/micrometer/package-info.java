/**
 * Micrometer meters for piperpc: {@link dev.piperpc.micrometer.CallMetrics} records the calls
 * and requests of endpoints and workers, {@link dev.piperpc.micrometer.PoolMetrics} adds a worker
 * pool's restarts, refusals and gauges, {@link dev.piperpc.micrometer.QueueClientMetrics} a queue
 * client's outbox. Each is a call listener: register it on the builder whose calls it is to
 * count. API.
 *
 * <p>Threads: the listeners record on whichever thread piperpc reports on (the reactor among
 * them), into meters that Micrometer makes safe for that; gauges are read on the thread that
 * publishes the registry.
 */
package dev.piperpc.micrometer;
