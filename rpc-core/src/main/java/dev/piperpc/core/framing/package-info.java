/**
 * Framings (newline, {@code Content-Length}, back-to-back JSON texts) and their incremental
 * decoders. API. A decoder belongs to one connection and is fed by its I/O thread only; encoding
 * is stateless.
 */
package dev.piperpc.core.framing;
