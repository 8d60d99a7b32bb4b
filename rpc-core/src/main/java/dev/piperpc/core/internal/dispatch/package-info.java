/**
 * Internal: turns annotated service objects into request handlers (jsonrpc4j's annotations).
 * Compiled once when an endpoint is built; handlers run on the endpoint's executor.
 */
package dev.piperpc.core.internal.dispatch;
