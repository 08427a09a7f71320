package com.campaignflow.functions.ports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * A key-value table of JSON documents: DynamoDB on AWS, files locally. Every item has a string partition
 * key attribute {@code pk} and a string sort key attribute {@code sk} (use {@code "#"} when there is
 * no natural sort key), and a numeric {@code version} maintained by the table for conditional writes.
 * Repositories in the domain map their records to items; this port knows nothing of campaigns.
 */
public interface DocumentTable {

    Optional<ObjectNode> get(String pk, String sk);

    /** Items of one partition ordered by sort key (DynamoDB Query). */
    List<ObjectNode> query(String pk);

    /** Every item (small tables only: health, connections). */
    List<ObjectNode> scan();

    /** Unconditional write; sets {@code version} to the stored version + 1. */
    void put(ObjectNode item);

    /** Writes only if no item has this key; false otherwise. */
    boolean putIfAbsent(ObjectNode item);

    /** Writes only if the stored item's {@code version} equals expectedVersion; false otherwise. */
    boolean putIfVersion(ObjectNode item, long expectedVersion);

    void delete(String pk, String sk);
}
