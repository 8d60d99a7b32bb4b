package dev.piperpc.core;

/**
 * A message could not be queued because the peer is not keeping up: as many bytes as the
 * transport's bound already wait to be written to it, or (in a pool) every worker had as many calls
 * in flight as allowed for longer than the pool waits. Nothing was sent: the caller may try again
 * later, elsewhere, or give up. {@code send}, {@code notify} and {@code Batch.send} all report a
 * full queue with this exception, thrown before anything was queued.
 */
public final class BackpressureException extends PiperpcException {
    /** An exception with a message. */
    public BackpressureException(String message) {
        super(message);
    }
}
