package dev.piperpc.core.framing;

import dev.piperpc.core.internal.ByteSink;

import java.nio.charset.StandardCharsets;
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
        public void encode(byte[] json, int offset, int length, ByteSink out) {
            out.ensureRoom(length + 1);
            int start = out.size();
            out.write(json, offset, length);
            byte[] array = out.array();
            // A raw CR or LF in well-formed JSON can only be whitespace between tokens.
            for (int i = start; i < start + length; i++) {
                if (array[i] == '\n' || array[i] == '\r') {
                    array[i] = ' ';
                }
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
        public void encode(byte[] json, int offset, int length, ByteSink out) {
            byte[] header = ("Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            out.ensureRoom(header.length + length);
            out.write(header, 0, header.length);
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
        public void encode(byte[] json, int offset, int length, ByteSink out) {
            out.write(json, offset, length);
        }
    };

    /** The default maximum frame size: 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;

    /** A decoder for one stream, rejecting frames above {@code maxFrameSize} bytes. */
    public abstract FrameDecoder newDecoder(int maxFrameSize);

    /** Appends {@code json} to {@code out} as one frame. */
    public abstract void encode(byte[] json, int offset, int length, ByteSink out);

    /** {@code json} as one frame, in a new array. */
    public byte[] encode(byte[] json) {
        ByteSink sink = new ByteSink(json.length + 32);
        encode(json, 0, json.length, sink);
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
