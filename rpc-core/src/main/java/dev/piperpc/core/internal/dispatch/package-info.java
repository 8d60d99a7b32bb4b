/**
 * Internal: turns annotated service objects into request handlers (jsonrpc4j's annotations), which
 * bind params with the mapper, or without a parser when every param is of a plain kind.
 * Compiled once when an endpoint is built; handlers run on the endpoint's executor.
 */
package dev.piperpc.core.internal.dispatch;
