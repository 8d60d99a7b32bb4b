/**
 * Internal: the pieces behind the queue API (SQS clients, senders, receivers). Not API; may change
 * in any release.
 */
package dev.piperpc.queue.internal;
