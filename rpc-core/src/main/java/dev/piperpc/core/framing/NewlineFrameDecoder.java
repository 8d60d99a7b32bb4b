package dev.piperpc.core.framing;

import dev.piperpc.core.internal.ByteSink;

import java.util.Arrays;

/** Decoder for {@link Framing#NEWLINE}. */
final class NewlineFrameDecoder implements FrameDecoder {

    private final int maxFrameSize;
    private final ByteSink partial = new ByteSink(256);
    private boolean skippingOversizedLine;

    NewlineFrameDecoder(int maxFrameSize) {
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive");
        }
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    public void decode(byte[] bytes, int offset, int length, FrameHandler handler) {
        int end = offset + length;
        int lineStart = offset;
        int newline;
        while ((newline = LineBreaks.indexOfNewline(bytes, lineStart, end)) >= 0) {
            completeLine(bytes, lineStart, newline, handler);
            lineStart = newline + 1;
        }
        if (lineStart < end) {
            if (skippingOversizedLine) {
                return;
            }
            if ((long) partial.size() + (end - lineStart) > maxFrameSize) {
                byte[] prefix = FrameTooLargeException.prefixOf(partial.array(), partial.size(), bytes, lineStart, end);
                partial.reset();
                skippingOversizedLine = true;
                handler.onError(new FrameTooLargeException("a line of more than " + maxFrameSize + " bytes", maxFrameSize, prefix));
                return;
            }
            partial.write(bytes, lineStart, end - lineStart);
        }
    }

    private void completeLine(byte[] bytes, int start, int end, FrameHandler handler) {
        if (skippingOversizedLine) {
            skippingOversizedLine = false;
            return;
        }
        if ((long) partial.size() + (end - start) > maxFrameSize) {
            byte[] prefix = FrameTooLargeException.prefixOf(partial.array(), partial.size(), bytes, start, end);
            partial.reset();
            handler.onError(new FrameTooLargeException("a line of more than " + maxFrameSize + " bytes", maxFrameSize, prefix));
            return;
        }
        byte[] line;
        if (partial.size() == 0) {
            line = trimmed(bytes, start, end);
        } else {
            partial.write(bytes, start, end - start);
            line = trimmed(partial.array(), 0, partial.size());
            partial.reset();
        }
        if (line != null) {
            handler.onFrame(line);
        }
    }

    /** The line without its trailing CR, or {@code null} if it is blank. */
    private static byte[] trimmed(byte[] bytes, int start, int end) {
        int last = end;
        while (last > start && isWhitespace(bytes[last - 1])) {
            last--;
        }
        int first = start;
        while (first < last && isWhitespace(bytes[first])) {
            first++;
        }
        return first == last ? null : Arrays.copyOfRange(bytes, first, last);
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    @Override
    public void endOfInput(FrameHandler handler) {
        if (!skippingOversizedLine && partial.size() > 0) {
            byte[] line = trimmed(partial.array(), 0, partial.size());
            partial.reset();
            if (line != null) {
                handler.onLastFrame(line);
            }
        }
        skippingOversizedLine = false;
    }
}
