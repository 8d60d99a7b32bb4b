/**
 * The worker side: {@link dev.piperpc.worker.Worker} serves annotated objects on this process's
 * stdin and stdout; {@link dev.piperpc.worker.WorkerContext} lets a method report progress, log,
 * ask the manager and notice cancellation. API.
 *
 * <p>Threads: one {@code piperpc-stdin} thread reads and frames stdin and never runs methods;
 * methods run on the worker's bounded {@code piperpc-call-N} threads, which also write their own
 * answers; a {@code piperpc-flush} thread writes answers held back for a burst.
 */
package dev.piperpc.worker;
