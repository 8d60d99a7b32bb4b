package dev.piperpc.queue.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.message.Id;
import dev.piperpc.queue.BlobStoreException;
import dev.piperpc.queue.FileBlobStore;
import dev.piperpc.queue.QueueSendException;
import dev.piperpc.queue.QueueWire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimCheckTest {

    private static byte[] json(int size) {
        return ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":[\"" + "x".repeat(size) + "\"]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSmallTextTravelsAsItself(@TempDir Path dir) {
        ClaimCheck rule = new ClaimCheck(new FileBlobStore(dir), 1000);
        byte[] text = json(10);
        ClaimCheck.Body body = rule.encode(text, QueueWire.MAX_BODY_BYTES);
        assertNull(body.blobLocation());
        assertArrayEquals(text, rule.resolve(body.text(), null));
    }

    @Test
    void aLargeTextTravelsAsAPointerAndIsDeletedWithItsMessage(@TempDir Path dir) throws Exception {
        ClaimCheck sender = new ClaimCheck(new FileBlobStore(dir), 1000);
        ClaimCheck receiver = new ClaimCheck(new FileBlobStore(dir), QueueWire.DEFAULT_BLOB_THRESHOLD);
        byte[] text = json(5000);
        ClaimCheck.Body body = sender.encode(text, QueueWire.MAX_BODY_BYTES);
        assertEquals(body.blobLocation(), new ObjectMapper().readTree(body.text()).get(QueueWire.BLOB).asText());
        assertEquals(text.length, new ObjectMapper().readTree(body.text()).get("bytes").asInt());
        assertArrayEquals(text, receiver.resolve(body.text(), body.blobLocation()));
        receiver.release(body.blobLocation());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aPointerCarriesTheIdOfASingleRequestOrResponse(@TempDir Path dir) {
        ClaimCheck rule = new ClaimCheck(new FileBlobStore(dir), 100);
        String big = "x".repeat(500);
        ClaimCheck.Body request = rule.encode(json(500), QueueWire.MAX_BODY_BYTES);
        assertEquals(Id.of(1), rule.pointerId(request.text()));
        ClaimCheck.Body response = rule.encode(("{\"jsonrpc\":\"2.0\",\"result\":\"" + big + "\",\"id\":\"a\\\"b\"}")
                .getBytes(StandardCharsets.UTF_8), QueueWire.MAX_BODY_BYTES);
        assertEquals(Id.of("a\"b"), rule.pointerId(response.text()));
        ClaimCheck.Body notification = rule.encode(("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[{\"id\":3,\"x\":\"" + big + "\"}]}")
                .getBytes(StandardCharsets.UTF_8), QueueWire.MAX_BODY_BYTES);
        assertNull(rule.pointerId(notification.text()));
        ClaimCheck.Body batch = rule.encode(("[" + new String(json(500), StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8),
                QueueWire.MAX_BODY_BYTES);
        assertNull(rule.pointerId(batch.text()));
        assertNull(rule.pointerId(new String(json(10), StandardCharsets.UTF_8).replace("\"id\":1", "\"id\":null")));
    }

    @Test
    void aTextThatFitsOnlyWithoutItsAttributesGoesToTheStore(@TempDir Path dir) {
        ClaimCheck rule = new ClaimCheck(new FileBlobStore(dir), QueueWire.DEFAULT_BLOB_THRESHOLD);
        assertNull(rule.encode(json(200), 1000).blobLocation());
        assertTrue(rule.encode(json(2000), 1000).blobLocation() != null);
    }

    @Test
    void withoutAStoreATextTooBigForSqsFailsAndOneThatFitsIsSentAsItIs() {
        ClaimCheck rule = new ClaimCheck(null, QueueWire.DEFAULT_BLOB_THRESHOLD);
        byte[] fits = json(300_000);
        assertNull(rule.encode(fits, QueueWire.MAX_BODY_BYTES).blobLocation());
        QueueSendException tooBig = assertThrows(QueueSendException.class, () -> rule.encode(json(2_000_000), QueueWire.MAX_BODY_BYTES));
        assertTrue(tooBig.getMessage().contains("too big for SQS") && tooBig.getMessage().contains("blob store"), tooBig.getMessage());
        BlobStoreException cannotRead = assertThrows(BlobStoreException.class, () -> rule.resolve("{}", "file:/x/y.blob"));
        assertTrue(cannotRead.getMessage().contains("no blob store"), cannotRead.getMessage());
    }

    @Test
    void theThresholdMustLeaveRoomForThePointer() {
        assertThrows(IllegalArgumentException.class, () -> new ClaimCheck(null, 0));
        assertThrows(IllegalArgumentException.class, () -> new ClaimCheck(null, QueueWire.MAX_BODY_BYTES));
    }
}
