package com.campaignflow.functions.store.local;

import com.campaignflow.functions.ports.DocumentTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@link DocumentTable} over a directory: one JSON file per item at {@code root/<table>/<pk>/<sk>.json}, with pk
 * and sk percent-encoded so any key is a safe file name. Writes are atomic renames taken under a table lock
 * (threads and processes), so conditional writes never lose an update. Writes are fsync'd unless the table was
 * opened {@link Durability#PROCESS_SAFE}.
 */
public final class FileDocumentTable implements DocumentTable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,255}");
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Path lockFile;
    private final Durability durability;

    /** A table named {@code tableName} stored under {@code root}, with fsync'd writes. */
    public FileDocumentTable(Path root, String tableName) {
        this(root, tableName, Durability.SYNCED);
    }

    public FileDocumentTable(Path root, String tableName, Durability durability) {
        if (tableName == null || !TABLE_NAME.matcher(tableName).matches() || tableName.startsWith(".")) {
            throw new IllegalArgumentException("table name must match [A-Za-z0-9_.-]{1,255} and not start with '.': " + tableName);
        }
        this.dir = root.toAbsolutePath().normalize().resolve(tableName);
        this.lockFile = dir.resolve(".lock");
        this.durability = durability;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create table directory " + dir, e);
        }
    }

    @Override
    public Optional<ObjectNode> get(String pk, String sk) {
        return read(file(pk, sk));
    }

    @Override
    public List<ObjectNode> query(String pk) {
        Path partition = dir.resolve(encode(pk));
        List<ObjectNode> items = new ArrayList<>();
        for (Path f : itemFiles(partition)) {
            read(f).ifPresent(items::add);
        }
        items.sort(Comparator.comparing(Items::sk));
        return items;
    }

    @Override
    public List<ObjectNode> scan() {
        List<ObjectNode> items = new ArrayList<>();
        try (Stream<Path> partitions = Files.list(dir)) {
            for (Path partition : partitions.filter(Files::isDirectory).sorted().toList()) {
                for (Path f : itemFiles(partition)) {
                    read(f).ifPresent(items::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan table " + dir, e);
        }
        return items;
    }

    @Override
    public void put(ObjectNode item) {
        Path file = file(Items.pk(item), Items.sk(item));
        locked(() -> {
            long stored = read(file).map(Items::version).orElse(0L);
            write(file, Items.withVersion(item, stored + 1));
            return null;
        });
    }

    @Override
    public boolean putIfAbsent(ObjectNode item) {
        Path file = file(Items.pk(item), Items.sk(item));
        return locked(() -> {
            if (Files.exists(file)) {
                return false;
            }
            write(file, Items.withVersion(item, 1));
            return true;
        });
    }

    @Override
    public boolean putIfVersion(ObjectNode item, long expectedVersion) {
        Path file = file(Items.pk(item), Items.sk(item));
        return locked(() -> {
            Optional<ObjectNode> stored = read(file);
            if (stored.isEmpty() || Items.version(stored.get()) != expectedVersion) {
                return false;
            }
            write(file, Items.withVersion(item, expectedVersion + 1));
            return true;
        });
    }

    @Override
    public void delete(String pk, String sk) {
        Path file = file(pk, sk);
        locked(() -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file, e);
            }
            return null;
        });
    }

    private Path file(String pk, String sk) {
        if (pk == null || pk.isEmpty() || sk == null || sk.isEmpty()) {
            throw new IllegalArgumentException("pk and sk must be non-empty strings");
        }
        return dir.resolve(encode(pk)).resolve(encode(sk) + SUFFIX);
    }

    private <T> T locked(Supplier<T> body) {
        return FileLocks.withLock(lockFile, body);
    }

    private static List<Path> itemFiles(Path partition) {
        try (Stream<Path> files = Files.list(partition)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(SUFFIX) && !name.startsWith(".");
            }).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + partition, e);
        }
    }

    private static Optional<ObjectNode> read(Path file) {
        try {
            return Optional.of((ObjectNode) JSON.readTree(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read item " + file, e);
        }
    }

    private void write(Path file, ObjectNode item) {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(item), durability);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write item " + file, e);
        }
    }

    /** Percent-encodes everything but [A-Za-z0-9_-], so '.', '/', '%' and control chars never reach the file system. */
    static String encode(String key) {
        StringBuilder b = new StringBuilder();
        for (byte raw : key.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }
}
