/**
 * Internal: the pieces behind the queue API. The worker side: {@code QueueListener} receives from
 * the request queue ({@code piperpc-sqs-receive}, which also delivers to the connections),
 * {@code SqsOutbox} sends answers, deletes and visibility changes in batches ({@code piperpc-sqs-send}),
 * leases are renewed and idle connections closed on {@code piperpc-sqs-lease}; none runs user
 * code. Not API; may change in any release.
 */
package dev.piperpc.queue.internal;
