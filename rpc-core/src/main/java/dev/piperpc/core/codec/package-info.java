/**
 * Turning JSON texts into messages and back: the common shapes read in one pass over the bytes,
 * everything else on Jackson's streaming API. API; stateless and thread-safe, called on the
 * transport's I/O thread (decoding) and on senders' threads (encoding).
 */
package dev.piperpc.core.codec;
