package dev.piperpc.core.framing;

import dev.piperpc.core.internal.ByteSink;

/**
 * Decoder for {@link Framing#STREAM}: finds where each top-level JSON object or array ends by
 * tracking nesting depth and string literals. Bytes between texts that are neither whitespace nor
 * the start of an object or array are reported once per run and skipped.
 */
final class StreamFrameDecoder implements FrameDecoder {

    private final int maxFrameSize;
    private final ByteSink partial = new ByteSink(256);
    private int depth;
    private boolean inString;
    private boolean escaped;
    private boolean skippingOversizedText;
    private boolean inGarbage;
    private long textLength;

    StreamFrameDecoder(int maxFrameSize) {
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive");
        }
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    public void decode(byte[] bytes, int offset, int length, FrameHandler handler) {
        int end = offset + length;
        int textStart = depth > 0 ? offset : -1;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (depth == 0) {
                if (b == '{' || b == '[') {
                    depth = 1;
                    textStart = i;
                    textLength = 0;
                    inGarbage = false;
                } else if (!(b == ' ' || b == '\t' || b == '\r' || b == '\n') && !inGarbage) {
                    inGarbage = true;
                    handler.onError(new FramingException(
                            "unexpected byte 0x" + Integer.toHexString(b & 0xff) + " between JSON texts; skipped to the next '{' or '['"));
                }
                continue;
            }
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                depth--;
                if (depth == 0) {
                    completeText(bytes, textStart, i + 1, handler);
                    textStart = -1;
                }
            }
        }
        if (depth > 0) {
            appendPartial(bytes, textStart, end, handler);
        }
    }

    private void completeText(byte[] bytes, int start, int end, FrameHandler handler) {
        if (skippingOversizedText) {
            skippingOversizedText = false;
            return;
        }
        if (textLength + (end - start) > maxFrameSize) {
            byte[] prefix = FrameTooLargeException.prefixOf(partial.array(), partial.size(), bytes, start, end);
            partial.reset();
            handler.onError(new FrameTooLargeException("a JSON text of more than " + maxFrameSize + " bytes", maxFrameSize, prefix));
            return;
        }
        if (partial.size() == 0) {
            handler.onFrame(java.util.Arrays.copyOfRange(bytes, start, end));
        } else {
            partial.write(bytes, start, end - start);
            byte[] frame = partial.toByteArray();
            partial.reset();
            handler.onFrame(frame);
        }
    }

    private void appendPartial(byte[] bytes, int start, int end, FrameHandler handler) {
        if (skippingOversizedText) {
            return;
        }
        textLength += end - start;
        if (textLength > maxFrameSize) {
            byte[] prefix = FrameTooLargeException.prefixOf(partial.array(), partial.size(), bytes, start, end);
            partial.reset();
            skippingOversizedText = true;
            handler.onError(new FrameTooLargeException("a JSON text of more than " + maxFrameSize + " bytes", maxFrameSize, prefix));
            return;
        }
        partial.write(bytes, start, end - start);
    }

    @Override
    public void endOfInput(FrameHandler handler) {
        if (depth > 0 && !skippingOversizedText) {
            handler.onError(new FramingException("input ended inside a JSON text of " + textLength + " bytes"));
        }
        partial.reset();
        depth = 0;
        inString = false;
        escaped = false;
        skippingOversizedText = false;
        inGarbage = false;
        textLength = 0;
    }
}
