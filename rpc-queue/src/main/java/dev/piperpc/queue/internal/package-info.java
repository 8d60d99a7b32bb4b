/**
 * Internal: the pieces behind the queue API. Both sides send through {@code SqsSender} (batches per
 * queue URL, no waiting for a batch to fill) and delete through {@code SqsDeleter}. The manager's
 * side: {@code SqsTransport}, {@code ReplyReceiver}, {@code ReplyQueues}. The worker side:
 * {@code QueueListener} receives from the request queue ({@code piperpc-sqs-receive}, which also
 * delivers to the connections), {@code SqsOutbox} sends answers ({@code piperpc-sqs-send}),
 * deletes ({@code piperpc-sqs-delete}) and visibility changes ({@code piperpc-sqs-visibility});
 * leases are renewed and idle connections closed on {@code piperpc-sqs-lease}; none runs user
 * code. Not API; may change in any release.
 */
package dev.piperpc.queue.internal;
