package dev.piperpc.worker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listening where no provider is on the class path fails at once, naming what to add. */
class WorkerListenTest {

    @Test
    void aQueueUriWithoutTheQueueArtifactNamesIt() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Worker.builder().listen("sqs:https://sqs.us-east-1.amazonaws.com/1/requests").run());
        assertTrue(error.getMessage().contains("dev.piperpc:piperpc-queue"), error.getMessage());
    }

    @Test
    void aUriWithoutASchemeIsRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Worker.builder().listen("requests").run());
        assertTrue(error.getMessage().contains("scheme"), error.getMessage());
    }
}
