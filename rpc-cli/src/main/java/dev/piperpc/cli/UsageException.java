package dev.piperpc.cli;

/** The command line is wrong: the message says how; the exit code is 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
