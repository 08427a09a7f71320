package com.campaignflow.functions.store.local;

import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.ports.StoreUnavailableException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@link DocumentTable} over a directory: the table is an append-only log at {@code root/<table>/items.log}
 * (one line per put or delete, each with a CRC), replayed into memory when first opened and compacted when
 * mostly superseded. Appending a line costs a fraction of creating and renaming a file per item, which is what
 * a campaign step's table writes used to cost. Writes are taken under a table lock (threads and processes), and
 * every operation first applies what other processes appended, so conditional writes never lose an update.
 * Writes are fsync'd unless the table was opened {@link Durability#PROCESS_SAFE}.
 */
public final class FileDocumentTable implements DocumentTable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,255}");

    private final TableLog log;
    private final Durability durability;

    /** A table named {@code tableName} stored under {@code root}, with fsync'd writes. */
    public FileDocumentTable(Path root, String tableName) {
        this(root, tableName, Durability.SYNCED);
    }

    public FileDocumentTable(Path root, String tableName, Durability durability) {
        this(root, tableName, durability, null, Clock.systemUTC());
    }

    /**
     * @param ttlAttribute the attribute whose number of epoch seconds expires an item, as DynamoDB's time to live
     *                     (expired items are dropped when the table is loaded or compacted); null: none
     */
    public FileDocumentTable(Path root, String tableName, Durability durability, String ttlAttribute, Clock clock) {
        this(root, tableName, durability, dir -> TableLog.open(dir, ttlAttribute, clock));
    }

    FileDocumentTable(Path root, String tableName, Durability durability, Function<Path, TableLog> logs) {
        if (tableName == null || !TABLE_NAME.matcher(tableName).matches() || tableName.startsWith(".")) {
            throw new IllegalArgumentException("table name must match [A-Za-z0-9_.-]{1,255} and not start with '.': " + tableName);
        }
        Path dir = root.toAbsolutePath().normalize().resolve(tableName);
        this.durability = durability.on(dir);
        try {
            this.durability.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create table directory " + dir, e);
        }
        this.log = logs.apply(dir);
    }

    /** The log file holding this table's items. */
    public Path file() {
        return log.file();
    }

    @Override
    public Optional<ObjectNode> get(String pk, String sk) {
        requireKey(pk, sk);
        return Optional.ofNullable(log.read(items -> items.get(pk, sk))).map(FileDocumentTable::parse);
    }

    @Override
    public List<ObjectNode> query(String pk) {
        requireKey(pk, "#");
        return log.read(items -> items.partition(pk)).stream().map(FileDocumentTable::parse).toList();
    }

    @Override
    public List<ObjectNode> scan() {
        return log.read(TableLog.Index::all).stream().map(FileDocumentTable::parse).toList();
    }

    @Override
    public void put(ObjectNode item) {
        String pk = Items.pk(item);
        String sk = Items.sk(item);
        log.write(durability, items -> {
            byte[] stored = items.get(pk, sk);
            long version = stored == null ? 0 : Items.version(parse(stored));
            return TableLog.Change.put(pk, sk, serialise(Items.withVersion(item, version + 1)));
        });
    }

    @Override
    public boolean putIfAbsent(ObjectNode item) {
        String pk = Items.pk(item);
        String sk = Items.sk(item);
        return log.write(durability, items -> items.get(pk, sk) != null ? null
                : TableLog.Change.put(pk, sk, serialise(Items.withVersion(item, 1))));
    }

    @Override
    public boolean putIfVersion(ObjectNode item, long expectedVersion) {
        String pk = Items.pk(item);
        String sk = Items.sk(item);
        return log.write(durability, items -> {
            byte[] stored = items.get(pk, sk);
            if (stored == null || Items.version(parse(stored)) != expectedVersion) {
                return null;
            }
            return TableLog.Change.put(pk, sk, serialise(Items.withVersion(item, expectedVersion + 1)));
        });
    }

    @Override
    public void delete(String pk, String sk) {
        requireKey(pk, sk);
        log.write(durability, items -> items.get(pk, sk) == null ? null : TableLog.Change.delete(pk, sk));
    }

    private static void requireKey(String pk, String sk) {
        if (pk == null || pk.isEmpty() || sk == null || sk.isEmpty()) {
            throw new IllegalArgumentException("pk and sk must be non-empty strings");
        }
    }

    static ObjectNode parse(byte[] json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored item is not JSON", e);
        }
    }

    private static byte[] serialise(ObjectNode item) {
        try {
            return JSON.writeValueAsBytes(item);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise item", e);
        }
    }
}
