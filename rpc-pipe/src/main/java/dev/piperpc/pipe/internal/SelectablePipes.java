package dev.piperpc.pipe.internal;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pipes whose ends can be handed to a child process by file descriptor number, so the parent's
 * ends stay selectable NIO channels. Works where {@code /proc/self/fd} exists (Linux): the fd
 * numbers of a new {@link Pipe} are found by listing {@code /proc/self/fd} around
 * {@link Pipe#open()}, and the child's redirect opens {@code /proc/self/fd/N}.
 */
public final class SelectablePipes {

    private static final Path FD_DIR = Path.of("/proc/self/fd");
    private static final int ATTEMPTS = 20;

    private SelectablePipes() {
    }

    /** Whether this platform has what this class needs. */
    public static boolean supported() {
        return Files.isDirectory(FD_DIR) && Files.exists(Path.of("/proc/self/fdinfo"));
    }

    /**
     * A pipe with the fd numbers of its ends.
     *
     * @param pipe     the pipe
     * @param sourceFd the fd number of its read end
     * @param sinkFd   the fd number of its write end
     */
    public record NumberedPipe(Pipe pipe, int sourceFd, int sinkFd) {
        /** The path by which a child process opens the read end. */
        public Path sourcePath() {
            return FD_DIR.resolve(Integer.toString(sourceFd));
        }

        /** The path by which a child process opens the write end. */
        public Path sinkPath() {
            return FD_DIR.resolve(Integer.toString(sinkFd));
        }

        /** Closes both ends, ignoring failures. */
        public void closeQuietly() {
            try {
                pipe.source().close();
            } catch (IOException ignored) {
                // closing on a failure path
            }
            try {
                pipe.sink().close();
            } catch (IOException ignored) {
                // closing on a failure path
            }
        }
    }

    /**
     * Opens a pipe and finds its fd numbers. Another thread opening fds at the same moment can
     * make the result ambiguous; then the pipe is closed and the attempt repeated.
     *
     * @throws IOException if the pipe cannot be opened or identified
     */
    public static synchronized NumberedPipe open() throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // An fd number freed since the first listing (by the listing itself, say) may be reused,
            // so a new pipe end is an fd whose link target is new, not just an fd number that is.
            Map<Integer, String> before = listFds();
            Pipe pipe = Pipe.open();
            List<Integer> added = new ArrayList<>();
            for (Map.Entry<Integer, String> entry : listFds().entrySet()) {
                String target = entry.getValue();
                if (target.startsWith("pipe:") && !target.equals(before.get(entry.getKey()))) {
                    added.add(entry.getKey());
                }
            }
            if (added.size() == 2) {
                int first = added.get(0);
                int second = added.get(1);
                String firstTarget = linkTarget(first);
                if (firstTarget != null && firstTarget.equals(linkTarget(second))) {
                    boolean firstWrites = isWriteOnly(first);
                    if (firstWrites != isWriteOnly(second)) {
                        return firstWrites ? new NumberedPipe(pipe, second, first) : new NumberedPipe(pipe, first, second);
                    }
                }
            }
            pipe.source().close();
            pipe.sink().close();
        }
        throw new IOException("could not identify the file descriptors of a new pipe in " + ATTEMPTS + " attempts");
    }

    /** The open fds with their link targets. */
    private static Map<Integer, String> listFds() throws IOException {
        Map<Integer, String> fds = new HashMap<>();
        try (var entries = Files.newDirectoryStream(FD_DIR)) {
            for (Path entry : entries) {
                try {
                    int fd = Integer.parseInt(entry.getFileName().toString());
                    String target = linkTarget(fd);
                    if (target != null) {
                        fds.put(fd, target);
                    }
                } catch (NumberFormatException ignored) {
                    // not an fd entry
                }
            }
        }
        return fds;
    }

    private static String linkTarget(int fd) {
        try {
            return Files.readSymbolicLink(FD_DIR.resolve(Integer.toString(fd))).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static boolean isWriteOnly(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(fd)))) {
            if (line.startsWith("flags:")) {
                int flags = Integer.parseInt(line.substring("flags:".length()).strip(), 8);
                return (flags & 3) == 1;
            }
        }
        throw new IOException("no flags in /proc/self/fdinfo/" + fd);
    }
}
