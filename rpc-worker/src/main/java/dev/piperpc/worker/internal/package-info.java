/**
 * Internal: the worker's stdio transport, the server of connections from an acceptor (a request
 * queue), and their task accounting. Not API.
 */
package dev.piperpc.worker.internal;
