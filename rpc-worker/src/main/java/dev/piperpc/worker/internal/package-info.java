/**
 * Internal: the worker's stdio transport and its task accounting. Not API.
 */
package dev.piperpc.worker.internal;
