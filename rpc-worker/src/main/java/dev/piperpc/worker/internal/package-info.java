/**
 * Internal: the worker's stdio transport and the call threads that take turns reading it
 * (leader/follower), the server of connections from an acceptor (a request queue), and their task
 * accounting. Not API. Which thread runs what is said by each class.
 */
package dev.piperpc.worker.internal;
