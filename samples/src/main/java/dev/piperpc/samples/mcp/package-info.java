/**
 * An MCP server on stdio made of a piperpc {@link dev.piperpc.worker.Worker} and a few handlers.
 * Its handlers run on the worker's call threads; its stdin reader never runs them.
 */
package dev.piperpc.samples.mcp;
