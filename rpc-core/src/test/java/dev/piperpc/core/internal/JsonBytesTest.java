package dev.piperpc.core.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grammar pieces on their own: what each reads, where it stops, and what it refuses. */
class JsonBytesTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "7", "-12", "10", "1.5", "-0.25", "1e3", "1E+3", "2.5e-10", "123456789012345678901234"})
    void readsNumbersAsJsonWritesThem(String number) {
        byte[] bytes = ascii(number + ",");
        assertEquals(number.length(), JsonBytes.number(bytes, 0, bytes.length), number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", "01", "-01", ".5", "1.", "1.e3", "1e", "1e+", "e3", "NaN", "Infinity"})
    void refusesWhatJsonDoesNotWrite(String number) {
        byte[] bytes = ascii(number);
        assertEquals(-1, JsonBytes.number(bytes, 0, bytes.length), number);
    }

    @Test
    void tellsIntegersAndTheirValues() {
        byte[] bytes = ascii("-123456789012345678");
        assertTrue(JsonBytes.isIntegral(bytes, 0, bytes.length));
        assertEquals(-123456789012345678L, JsonBytes.integerValue(bytes, 0, bytes.length));
        assertFalse(JsonBytes.isIntegral(ascii("1.0"), 0, 3));
        assertFalse(JsonBytes.isIntegral(ascii("1e2"), 0, 3));
        assertTrue(JsonBytes.isSmallInteger(bytes, 0, bytes.length), "18 digits after the sign");
        assertFalse(JsonBytes.isSmallInteger(ascii("1234567890123456789"), 0, 19), "19 digits");
    }

    @Test
    void readsLiteralsSpaceAndEscapes() {
        byte[] bytes = ascii(" \t\r\ntrue");
        int at = JsonBytes.skipSpace(bytes, 0, bytes.length);
        assertEquals(4, at);
        assertEquals(bytes.length, JsonBytes.literal(bytes, at, bytes.length, "true"));
        assertEquals(-1, JsonBytes.literal(bytes, at, bytes.length - 1, "true"));
        assertEquals(-1, JsonBytes.literal(ascii("nul"), 0, 3, "null"));
        assertEquals(0xd83d, JsonBytes.hexUnit(ascii("d83D"), 0, 4));
        assertEquals(-1, JsonBytes.hexUnit(ascii("12g4"), 0, 4));
        assertEquals(-1, JsonBytes.hexUnit(ascii("123"), 0, 3));
    }

    @Test
    void checksTheShapeOfUtf8Sequences() {
        byte[] text = "é✓😀".getBytes(StandardCharsets.UTF_8);
        assertEquals(2, JsonBytes.multiByte(text, 0, text.length));
        assertEquals(5, JsonBytes.multiByte(text, 2, text.length));
        assertEquals(9, JsonBytes.multiByte(text, 5, text.length));
        assertEquals(-1, JsonBytes.multiByte(text, 5, 8), "cut short");
        assertEquals(-1, JsonBytes.multiByte(new byte[] {(byte) 0x80, (byte) 0x80}, 0, 2), "a continuation byte cannot lead");
        assertEquals(-1, JsonBytes.multiByte(new byte[] {(byte) 0xf8, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80}, 0, 5));
        assertEquals(-1, JsonBytes.multiByte(new byte[] {(byte) 0xc3, 'a'}, 0, 2), "not a continuation byte");
    }
}
