package com.campaignflow.functions.store.local;

import com.campaignflow.functions.ports.DocumentTable;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link DocumentTable} in memory, for unit tests here and in other modules. Same semantics as {@link FileDocumentTable}. */
public final class InMemoryDocumentTable implements DocumentTable {

    private final Map<String, TreeMap<String, ObjectNode>> partitions = new TreeMap<>();

    @Override
    public synchronized Optional<ObjectNode> get(String pk, String sk) {
        TreeMap<String, ObjectNode> partition = partitions.get(pk);
        ObjectNode item = partition == null ? null : partition.get(sk);
        return Optional.ofNullable(item).map(ObjectNode::deepCopy);
    }

    @Override
    public synchronized List<ObjectNode> query(String pk) {
        TreeMap<String, ObjectNode> partition = partitions.get(pk);
        return partition == null ? List.of() : partition.values().stream().map(ObjectNode::deepCopy).toList();
    }

    @Override
    public synchronized List<ObjectNode> scan() {
        List<ObjectNode> all = new ArrayList<>();
        partitions.values().forEach(p -> p.values().forEach(i -> all.add(i.deepCopy())));
        return all;
    }

    @Override
    public synchronized void put(ObjectNode item) {
        long stored = get(Items.pk(item), Items.sk(item)).map(Items::version).orElse(0L);
        store(Items.withVersion(item, stored + 1));
    }

    @Override
    public synchronized boolean putIfAbsent(ObjectNode item) {
        if (get(Items.pk(item), Items.sk(item)).isPresent()) {
            return false;
        }
        store(Items.withVersion(item, 1));
        return true;
    }

    @Override
    public synchronized boolean putIfVersion(ObjectNode item, long expectedVersion) {
        Optional<ObjectNode> stored = get(Items.pk(item), Items.sk(item));
        if (stored.isEmpty() || Items.version(stored.get()) != expectedVersion) {
            return false;
        }
        store(Items.withVersion(item, expectedVersion + 1));
        return true;
    }

    @Override
    public synchronized void delete(String pk, String sk) {
        TreeMap<String, ObjectNode> partition = partitions.get(pk);
        if (partition != null) {
            partition.remove(sk);
            if (partition.isEmpty()) {
                partitions.remove(pk);
            }
        }
    }

    private void store(ObjectNode item) {
        partitions.computeIfAbsent(Items.pk(item), k -> new TreeMap<>()).put(Items.sk(item), item);
    }
}
