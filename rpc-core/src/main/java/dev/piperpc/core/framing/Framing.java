package dev.piperpc.core.framing;

import dev.piperpc.core.internal.ByteSink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/** How JSON texts are delimited on a byte stream. */
public enum Framing {

    /** One JSON text per line, as MCP stdio servers use. Empty lines are skipped; a trailing CR is dropped. */
    NEWLINE {
        @Override
        public FrameDecoder newDecoder(int maxFrameSize) {
            return new NewlineFrameDecoder(maxFrameSize);
        }

        @Override
        public void encode(byte[] json, int offset, int length, OutputStream out) throws IOException {
            int end = offset + length;
            int lineBreak = LineBreaks.indexOfLineBreak(json, offset, end);
            if (lineBreak < 0) {
                out.write(json, offset, length);
            } else {
                // A raw CR or LF in well-formed JSON can only be whitespace between tokens.
                byte[] oneLine = Arrays.copyOfRange(json, offset, end);
                for (int i = lineBreak - offset; i < oneLine.length; i++) {
                    if (oneLine[i] == '\n' || oneLine[i] == '\r') {
                        oneLine[i] = ' ';
                    }
                }
                out.write(oneLine);
            }
            out.write('\n');
        }
    },

    /** {@code Content-Length: N} headers, a blank line, then N bytes, as language servers use. */
    LSP {
        @Override
        public FrameDecoder newDecoder(int maxFrameSize) {
            return new LspFrameDecoder(maxFrameSize);
        }

        @Override
        public void encode(byte[] json, int offset, int length, OutputStream out) throws IOException {
            out.write(("Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(json, offset, length);
        }
    },

    /** JSON texts back to back with no delimiter, as jsonrpc4j's stream client writes. */
    STREAM {
        @Override
        public FrameDecoder newDecoder(int maxFrameSize) {
            return new StreamFrameDecoder(maxFrameSize);
        }

        @Override
        public void encode(byte[] json, int offset, int length, OutputStream out) throws IOException {
            out.write(json, offset, length);
        }
    };

    /** The default maximum frame size: 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;

    /** A decoder for one stream, rejecting frames above {@code maxFrameSize} bytes. */
    public abstract FrameDecoder newDecoder(int maxFrameSize);

    /**
     * Writes {@code json} to {@code out} as one frame.
     *
     * @throws IOException what {@code out} throws
     */
    public abstract void encode(byte[] json, int offset, int length, OutputStream out) throws IOException;

    /**
     * {@code json} as one frame, made with one copy at most: a new array, or {@code json} itself
     * when the framing adds nothing ({@link #STREAM}).
     */
    public byte[] encode(byte[] json) {
        switch (this) {
            case STREAM -> {
                return json;
            }
            case NEWLINE -> {
                if (LineBreaks.indexOfLineBreak(json, 0, json.length) < 0) {
                    byte[] line = Arrays.copyOf(json, json.length + 1);
                    line[json.length] = '\n';
                    return line;
                }
            }
            case LSP -> {
                byte[] header = ("Content-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] frame = Arrays.copyOf(header, header.length + json.length);
                System.arraycopy(json, 0, frame, header.length, json.length);
                return frame;
            }
        }
        ByteSink sink = new ByteSink(json.length + 32);
        try {
            encode(json, 0, json.length, sink);
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array cannot fail to be written", e);
        }
        return sink.toByteArray();
    }

    /** The name used on command lines: {@code newline}, {@code lsp} or {@code stream}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The framing called {@code name} ({@code newline}, {@code lsp} or {@code stream}, any case).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Framing parse(String name) {
        for (Framing framing : values()) {
            if (framing.cliName().equalsIgnoreCase(name)) {
                return framing;
            }
        }
        throw new IllegalArgumentException("unknown framing '" + name + "': expected newline, lsp or stream");
    }
}
