package dev.piperpc.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Prints trees with their members sorted, so tests can compare objects as text. */
final class RawWorkerTrees {

    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private RawWorkerTrees() {
    }

    static String sorted(JsonNode node) {
        try {
            return SORTED.writeValueAsString(SORTED.treeToValue(node, Object.class));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
