package dev.piperpc.cli;

/** What the command needs could not be reached or refused it (a worker, SQS): the message says why; the exit code is 3. */
final class UnavailableException extends RuntimeException {
    UnavailableException(String message) {
        super(message);
    }
}
