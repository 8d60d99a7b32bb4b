/**
 * Runnable examples: scatter/gather over a pool; the chat-bot demo and an MCP server in packages of their own.
 */
package dev.piperpc.samples;
