/**
 * The worker side: {@link dev.piperpc.worker.Worker} serves annotated objects on this process's
 * stdin and stdout; {@link dev.piperpc.worker.WorkerContext} lets a method report progress, log,
 * ask the manager and notice cancellation. API.
 *
 * <p>Threads: the worker's {@code piperpc-call-N} threads (at most its concurrency + 1) take
 * turns reading and framing stdin; the others run methods and write their own answers. A method
 * that finds the worker idle runs on the thread that read it, once that thread has handed
 * reading on. A {@code piperpc-flush} thread writes answers held back for a burst. When the
 * worker listens on an acceptor instead, methods run on a pool of {@code piperpc-call-N} threads
 * and the acceptor's own threads receive.
 */
package dev.piperpc.worker;
