/**
 * Worker processes behind endpoints: {@link dev.piperpc.pipe.WorkerProcess},
 * {@link dev.piperpc.pipe.WorkerPool} and what describes them. API.
 *
 * <p>Threads: one {@code piperpc-reactor} thread does the pipe I/O of every worker of the JVM
 * (or, in {@link dev.piperpc.pipe.IoMode#THREADS}, reader and writer threads per worker). It only
 * moves bytes and frames; pool bookkeeping, restarts, exit futures, worker events and stderr
 * logging run on the shared executor, never on the reactor.
 */
package dev.piperpc.pipe;
