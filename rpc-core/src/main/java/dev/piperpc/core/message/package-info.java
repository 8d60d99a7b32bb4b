/**
 * The JSON-RPC 2.0 message model: requests, notifications, responses, ids and raw JSON values.
 * API; immutable values, safe on any thread.
 */
package dev.piperpc.core.message;
