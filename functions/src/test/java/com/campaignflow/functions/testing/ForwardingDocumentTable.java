package com.campaignflow.functions.testing;

import com.campaignflow.functions.ports.DocumentTable;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/** A table that passes every call to another: tests override the calls they make go wrong or race. */
public abstract class ForwardingDocumentTable implements DocumentTable {

    private final DocumentTable table;

    protected ForwardingDocumentTable(DocumentTable table) {
        this.table = table;
    }

    @Override
    public Optional<ObjectNode> get(String pk, String sk) {
        return table.get(pk, sk);
    }

    @Override
    public List<ObjectNode> query(String pk) {
        return table.query(pk);
    }

    @Override
    public List<ObjectNode> scan() {
        return table.scan();
    }

    @Override
    public void put(ObjectNode item) {
        table.put(item);
    }

    @Override
    public boolean putIfAbsent(ObjectNode item) {
        return table.putIfAbsent(item);
    }

    @Override
    public boolean putIfVersion(ObjectNode item, long expectedVersion) {
        return table.putIfVersion(item, expectedVersion);
    }

    @Override
    public void delete(String pk, String sk) {
        table.delete(pk, sk);
    }
}
