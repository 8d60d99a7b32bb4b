package dev.piperpc.pipe;

/** How a worker's pipes are served. */
public enum IoMode {
    /** {@link #SELECTOR} where the platform allows it (Linux, with {@code /proc}), else {@link #THREADS}. */
    AUTO,
    /** One selector thread serves the pipes of every worker in the JVM. */
    SELECTOR,
    /** Blocking streams with threads of each worker's own (reader, stderr reader, writer): for platforms without {@code /proc}. */
    THREADS
}
