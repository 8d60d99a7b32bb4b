/**
 * Internal: the reactor, the selectable pipes, and the two process transports. Methods that must
 * run on the reactor thread, or hold a transport's write lock, assert it. Not API.
 */
package dev.piperpc.pipe.internal;
