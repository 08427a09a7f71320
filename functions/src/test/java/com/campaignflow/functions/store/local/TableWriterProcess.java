package com.campaignflow.functions.store.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * A separate JVM writing one table in a shared directory (used by the cross-process test): {@code count} conditional
 * increments of a ~20 KB item, so the log is compacted while both processes write, and one item of its own each time.
 */
public final class TableWriterProcess {

    public static void main(String[] args) {
        FileDocumentTable table = new FileDocumentTable(Path.of(args[0]), "shared", Durability.PROCESS_SAFE);
        ObjectMapper json = new ObjectMapper();
        String padding = "x".repeat(20_000);
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            while (true) {
                ObjectNode current = table.get("counter", "#").orElseThrow();
                ObjectNode next = current.deepCopy();
                next.put("value", current.path("value").asInt() + 1);
                next.put("padding", padding);
                if (table.putIfVersion(next, current.path("version").asLong())) {
                    break;
                }
            }
            ObjectNode own = json.createObjectNode();
            own.put("pk", "writer#" + args[1]);
            own.put("sk", String.format("%04d", i));
            table.put(own);
        }
    }
}
