package dev.piperpc.queue;

/**
 * The wire contract of a piperpc queue, for peers written in any language.
 *
 * <p>A message body is one JSON-RPC 2.0 message or batch, UTF-8, exactly as one frame on a pipe.
 * Requests travel on a request queue; their responses (and the worker's progress and log
 * notifications for them) go to the queue named by the request's {@link #REPLY_TO} attribute.
 * The attributes are SQS message attributes of type {@code String}:
 * <ul>
 *   <li>{@link #REPLY_TO}: the URL of the queue that answers go to; absent on a notification
 *       that expects nothing back. A cancellation ({@code $/cancelRequest}, or MCP's
 *       {@code notifications/cancelled}) carries it, naming whose call it cancels (ids are per
 *       reply queue).</li>
 *   <li>{@link #DEADLINE}: when the caller stops waiting, in milliseconds since the epoch (decimal);
 *       a worker that receives the request later deletes it unrun.</li>
 *   <li>{@link #TRACEPARENT}: the W3C trace context of the call, when there is one.</li>
 *   <li>{@link #BLOB}: present when the message was too big for SQS (claim-check): the JSON
 *       text is stored at this location ({@code file:…} or {@code s3://…}) and the body is only
 *       {@code {"piperpc-blob":"<location>","bytes":<size>,"id":<id>}} (the {@code id} member
 *       only for a single request or response with an id, so that a receiver that cannot read
 *       the text can still answer or end that call). The receiver reads the text from the store
 *       before anything else sees the message, and deletes it once it has deleted the message.</li>
 * </ul>
 */
public final class QueueWire {

    /** Message attribute: the URL of the queue that answers go to. */
    public static final String REPLY_TO = "piperpc-reply-to";
    /** Message attribute: the caller's deadline in epoch milliseconds. */
    public static final String DEADLINE = "piperpc-deadline";
    /** Message attribute: the W3C {@code traceparent} of the call. */
    public static final String TRACEPARENT = "traceparent";
    /** Message attribute: where the message's JSON text is stored when it was too big for SQS. */
    public static final String BLOB = "piperpc-blob";
    /** Bodies above this size (256 KiB) go to the blob store when there is one. */
    public static final int DEFAULT_BLOB_THRESHOLD = 256 * 1024;
    /**
     * Queue tag of a manager's reply queue: when the manager last said it was alive, in epoch
     * milliseconds (decimal). Reply queues whose heartbeat is old belong to managers that died and
     * may be deleted.
     */
    public static final String HEARTBEAT_TAG = "piperpc-heartbeat";
    /** The largest message body SQS takes: 1 MiB. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** The longest visibility timeout SQS allows: 12 hours, in seconds. */
    public static final int MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
    /** The longest long poll SQS allows, in seconds. */
    public static final int MAX_WAIT_SECONDS = 20;

    private QueueWire() {
    }
}
