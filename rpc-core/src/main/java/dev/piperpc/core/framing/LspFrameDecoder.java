package dev.piperpc.core.framing;

import dev.piperpc.core.internal.ByteSink;

import java.nio.charset.StandardCharsets;

/** Decoder for {@link Framing#LSP}: header lines, a blank line, then Content-Length bytes of body. */
final class LspFrameDecoder implements FrameDecoder {

    private static final int MAX_HEADER_LINE = 8192;
    private static final String CONTENT_LENGTH = "content-length";

    private enum State { HEADERS, BODY, SKIPPING_BODY }

    private final int maxFrameSize;
    private final ByteSink headerLine = new ByteSink(64);
    private State state = State.HEADERS;
    private boolean sawHeader;
    private boolean headerLineTooLong;
    private long contentLength = -1;
    private boolean malformed;
    private byte[] body;
    private int bodyFilled;
    private long toSkip;
    private long skippedLength;
    private ByteSink skippedPrefix;

    LspFrameDecoder(int maxFrameSize) {
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive");
        }
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    public void decode(byte[] bytes, int offset, int length, FrameHandler handler) {
        int position = offset;
        int end = offset + length;
        while (position < end) {
            switch (state) {
                case HEADERS -> position = readHeaders(bytes, position, end, handler);
                case BODY -> {
                    int count = Math.min(end - position, body.length - bodyFilled);
                    System.arraycopy(bytes, position, body, bodyFilled, count);
                    bodyFilled += count;
                    position += count;
                    if (bodyFilled == body.length) {
                        byte[] frame = body;
                        body = null;
                        state = State.HEADERS;
                        handler.onFrame(frame);
                    }
                }
                case SKIPPING_BODY -> {
                    int count = (int) Math.min(end - position, toSkip);
                    if (skippedPrefix != null) {
                        int keep = Math.min(count, FrameTooLargeException.PREFIX_LENGTH - skippedPrefix.size());
                        skippedPrefix.write(bytes, position, keep);
                        if (skippedPrefix.size() == Math.min(FrameTooLargeException.PREFIX_LENGTH, skippedLength)) {
                            reportSkipped(handler);
                        }
                    }
                    toSkip -= count;
                    position += count;
                    if (toSkip == 0) {
                        state = State.HEADERS;
                    }
                }
            }
        }
    }

    private int readHeaders(byte[] bytes, int position, int end, FrameHandler handler) {
        for (int i = position; i < end; i++) {
            if (bytes[i] == '\n') {
                appendToLine(bytes, position, i, handler);
                endOfHeaderLine(handler);
                return i + 1;
            }
        }
        appendToLine(bytes, position, end, handler);
        return end;
    }

    private void appendToLine(byte[] bytes, int start, int end, FrameHandler handler) {
        if (headerLineTooLong) {
            return;
        }
        if (headerLine.size() + (end - start) > MAX_HEADER_LINE) {
            headerLineTooLong = true;
            headerLine.reset();
            malformed = true;
            handler.onError(new FramingException("header line longer than " + MAX_HEADER_LINE + " bytes"));
            return;
        }
        headerLine.write(bytes, start, end - start);
    }

    private void endOfHeaderLine(FrameHandler handler) {
        if (headerLineTooLong) {
            headerLineTooLong = false;
            return;
        }
        String line = new String(headerLine.array(), 0, headerLine.size(), StandardCharsets.US_ASCII).strip();
        headerLine.reset();
        if (line.isEmpty()) {
            if (sawHeader) {
                endOfHeaders(handler);
            }
            return;
        }
        sawHeader = true;
        int colon = line.indexOf(':');
        if (colon <= 0) {
            malformed = true;
            handler.onError(new FramingException("malformed header line: " + abbreviate(line)));
            return;
        }
        if (line.substring(0, colon).strip().equalsIgnoreCase(CONTENT_LENGTH)) {
            try {
                contentLength = Long.parseLong(line.substring(colon + 1).strip());
                if (contentLength < 0) {
                    throw new NumberFormatException("negative");
                }
            } catch (NumberFormatException e) {
                contentLength = -1;
                malformed = true;
                handler.onError(new FramingException("invalid Content-Length: " + abbreviate(line)));
            }
        }
    }

    private void endOfHeaders(FrameHandler handler) {
        long length = contentLength;
        boolean wasMalformed = malformed;
        sawHeader = false;
        malformed = false;
        contentLength = -1;
        if (length < 0) {
            if (!wasMalformed) {
                handler.onError(new FramingException("header block without Content-Length"));
            }
            return;
        }
        if (length > maxFrameSize || wasMalformed) {
            if (!wasMalformed) {
                // Reported once the first bytes of the body are in, so the error can tell which message it was.
                skippedPrefix = new ByteSink(FrameTooLargeException.PREFIX_LENGTH);
                skippedLength = length;
            }
            toSkip = length;
            state = length == 0 ? State.HEADERS : State.SKIPPING_BODY;
            return;
        }
        if (length == 0) {
            handler.onFrame(new byte[0]);
            return;
        }
        body = new byte[(int) length];
        bodyFilled = 0;
        state = State.BODY;
    }

    private void reportSkipped(FrameHandler handler) {
        byte[] prefix = skippedPrefix.toByteArray();
        skippedPrefix = null;
        handler.onError(new FrameTooLargeException("a frame of " + skippedLength + " bytes", maxFrameSize, prefix));
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }

    @Override
    public void endOfInput(FrameHandler handler) {
        if (skippedPrefix != null) {
            reportSkipped(handler);
        }
        if (state == State.BODY) {
            handler.onError(new FramingException("input ended after " + bodyFilled + " of " + body.length + " bytes of a frame"));
        } else if (state == State.HEADERS && (sawHeader || headerLine.size() > 0)) {
            handler.onError(new FramingException("input ended inside a header block"));
        }
        state = State.HEADERS;
        body = null;
        headerLine.reset();
        sawHeader = false;
        malformed = false;
        contentLength = -1;
    }
}
