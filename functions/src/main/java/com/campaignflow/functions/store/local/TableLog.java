package com.campaignflow.functions.store.local;

import com.campaignflow.functions.ports.StoreUnavailableException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * The append-only log behind a {@link FileDocumentTable}, and the items it holds, kept in memory.
 *
 * <p>Line format: {@code P <crc32c, 8 hex> <item JSON>\n} for a put (the item as stored, version included) and
 * {@code D <crc32c> {"pk":..,"sk":..}\n} for a delete; the CRC covers the JSON. The first line,
 * {@code H <crc32c> {"generation":..}}, names this incarnation of the file: a compacted file gets a new one. A line cut short by a crash (no
 * newline) is dropped and the file truncated before the next append; a complete line whose CRC does not match is
 * corruption and is reported, never skipped.
 *
 * <p>One instance per directory in a JVM (tables opened twice share it). Other processes may append to the same
 * file: writes hold the table's lock file and first apply what was appended since; reads compare the file's
 * identity, size and modification time with what was applied (one stat) and catch up under the lock when they
 * differ. Compaction writes the live items to a new file renamed over the log, which the other processes notice by
 * its generation (not by its inode, which the file system may reuse).
 *
 * <p>Time to live, as DynamoDB's: an item whose TTL attribute is a number of epoch seconds in the past is dropped
 * when the log is loaded and when it is compacted (until then it may still be read, as on DynamoDB).
 */
final class TableLog {

    static final String FILE = "items.log";
    /** No compaction below this size; above it, when less than a third of the log is live items. */
    static final long COMPACT_MIN_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(TableLog.class.getName());
    private static final Map<Path, WeakReference<TableLog>> OPEN = new HashMap<>();
    /** Bytes a line adds to its JSON: "P ", 8 hex digits, a space, the newline. */
    private static final int LINE_OVERHEAD = 12;

    private final Path dir;
    /** The attribute holding an item's expiry in epoch seconds; null: items never expire. */
    private final String ttlAttribute;
    private final Clock clock;
    private final Path file;
    private final Path lockFile;
    private final Index index = new Index();
    /** The generation of the file that {@link #applied} counts bytes of; null before any file was read. */
    private String generation;
    /** What a stat of the log showed once everything in it was applied: equal again means nothing new. */
    private Object seenKey;
    private FileTime seenModified;
    private long applied;
    private long liveBytes;
    private boolean legacyChecked;

    private TableLog(Path dir, String ttlAttribute, Clock clock) {
        this.dir = dir;
        this.ttlAttribute = ttlAttribute;
        this.clock = clock;
        this.file = dir.resolve(FILE);
        this.lockFile = dir.resolve(".lock");
    }

    /**
     * The log of the table in {@code dir} (absolute, normalised), shared by every table opened on it in this JVM
     * (the first opener's TTL attribute applies).
     */
    static TableLog open(Path dir, String ttlAttribute, Clock clock) {
        synchronized (OPEN) {
            OPEN.values().removeIf(ref -> ref.get() == null);
            TableLog log = OPEN.containsKey(dir) ? OPEN.get(dir).get() : null;
            if (log == null) {
                log = new TableLog(dir, ttlAttribute, clock);
                OPEN.put(dir, new WeakReference<>(log));
            }
            return log;
        }
    }

    /** A log of its own, as another process would have it (tests). */
    static TableLog openUnshared(Path dir, String ttlAttribute, Clock clock) {
        return new TableLog(dir, ttlAttribute, clock);
    }

    Path file() {
        return file;
    }

    /** One put or delete, decided by a write. */
    record Change(String pk, String sk, byte[] item) {

        static Change put(String pk, String sk, byte[] item) {
            return new Change(pk, sk, Objects.requireNonNull(item));
        }

        static Change delete(String pk, String sk) {
            return new Change(pk, sk, null);
        }

        byte[] line() {
            byte[] json = item != null ? item : deleteKey(pk, sk);
            return TableLog.line(item != null ? 'P' : 'D', json);
        }
    }

    /** The items: partition key → sort key → item JSON as stored. Byte arrays are never changed once stored. */
    static final class Index {
        private final TreeMap<String, TreeMap<String, byte[]>> partitions = new TreeMap<>();

        byte[] get(String pk, String sk) {
            TreeMap<String, byte[]> partition = partitions.get(pk);
            return partition == null ? null : partition.get(sk);
        }

        List<byte[]> partition(String pk) {
            TreeMap<String, byte[]> partition = partitions.get(pk);
            return partition == null ? List.of() : List.copyOf(partition.values());
        }

        List<byte[]> all() {
            List<byte[]> all = new ArrayList<>();
            partitions.values().forEach(p -> all.addAll(p.values()));
            return all;
        }

        /** Applies a change; returns the change in live bytes. */
        private long apply(Change change) {
            TreeMap<String, byte[]> partition = partitions.get(change.pk());
            byte[] before = partition == null ? null : partition.get(change.sk());
            if (change.item() != null) {
                partitions.computeIfAbsent(change.pk(), k -> new TreeMap<>()).put(change.sk(), change.item());
            } else if (before != null) {
                partition.remove(change.sk());
                if (partition.isEmpty()) {
                    partitions.remove(change.pk());
                }
            }
            return lineBytes(change.item()) - lineBytes(before);
        }

        private void clear() {
            partitions.clear();
        }
    }

    /** Runs {@code reader} on the items, after applying what other processes appended. */
    <T> T read(Function<Index, T> reader) {
        if (!upToDate()) {
            FileLocks.withLock(lockFile, () -> {
                synchronized (this) {
                    catchUp();
                }
                return null;
            });
        }
        synchronized (this) {
            return reader.apply(index);
        }
    }

    /**
     * Under the table lock: applies what other processes appended, asks {@code decide} for a change (null: none,
     * e.g. a failed condition), appends it and applies it. True when a change was written.
     */
    boolean write(Durability durability, Function<Index, Change> decide) {
        return FileLocks.withLock(lockFile, () -> {
            synchronized (this) {
                catchUp();
                Change change = decide.apply(index);
                if (change == null) {
                    return false;
                }
                byte[] line = change.line();
                try {
                    append(line, durability);
                } catch (IOException e) {
                    throw new StoreUnavailableException("cannot append to " + file, e);
                }
                liveBytes += index.apply(change);
                if (applied > COMPACT_MIN_BYTES && applied > 3 * liveBytes) {
                    compact();
                }
                return true;
            }
        });
    }

    private boolean upToDate() {
        BasicFileAttributes attributes = attributes();
        synchronized (this) {
            if (attributes == null) {
                return generation == null && legacyChecked;
            }
            return unchanged(attributes);
        }
    }

    private boolean unchanged(BasicFileAttributes attributes) {
        // the modification time too: a compacted file may get the inode of the one it replaced
        return attributes.fileKey().equals(seenKey) && attributes.size() == applied
                && attributes.lastModifiedTime().equals(seenModified);
    }

    private void remember(BasicFileAttributes attributes) {
        seenKey = attributes == null ? null : attributes.fileKey();
        seenModified = attributes == null ? null : attributes.lastModifiedTime();
    }

    private BasicFileAttributes attributes() {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + file, e);
        }
    }

    /** Holding the table lock: brings the items up to the file. */
    private void catchUp() {
        BasicFileAttributes attributes = attributes();
        if (attributes == null) {
            reset();
            if (!legacyChecked) {
                legacyChecked = true;
                importLegacyItems();
            }
            return;
        }
        legacyChecked = true;
        if (unchanged(attributes)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            String onDisk = readGeneration(channel);
            if (onDisk == null) {
                // created by a process that died before its first line was whole: an empty table
                reset();
                channel.truncate(0);
            } else {
                if (!onDisk.equals(generation) || size < applied) {
                    reset(); // compacted or replaced by another process: read it all again
                }
                if (size - applied > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("table log " + file + " is too large to load (" + size + " bytes)");
                }
                ByteBuffer buffer = ByteBuffer.allocate((int) (size - applied));
                while (buffer.hasRemaining() && channel.read(buffer, applied + buffer.position()) >= 0) {
                    // read until full
                }
                applied += replay(buffer.array(), buffer.position());
                if (applied < size) {
                    LOG.log(System.Logger.Level.WARNING, "table log " + file + ": dropping " + (size - applied)
                            + " bytes of an append cut short at offset " + applied);
                    channel.truncate(applied);
                }
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + file, e);
        }
        remember(attributes());
    }

    /** The generation named by the file's first line; null when that line is not whole yet. */
    private String readGeneration(FileChannel channel) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(256);
        while (head.hasRemaining() && channel.read(head, head.position()) >= 0) {
            // read the start of the file
        }
        int newline = indexOf(head.array(), (byte) '\n', 0, head.position());
        if (newline < 0) {
            if (head.position() == head.capacity()) {
                throw corruptAt(0, "no header line");
            }
            return null;
        }
        return header(head.array(), 0, newline);
    }

    private void reset() {
        index.clear();
        generation = null;
        seenKey = null;
        applied = 0;
        liveBytes = 0;
    }

    /** Applies the complete lines of {@code bytes[0, length)}; returns how many bytes they span. */
    private int replay(byte[] bytes, int length) {
        int offset = 0;
        while (offset < length) {
            int newline = indexOf(bytes, (byte) '\n', offset, length);
            if (newline < 0) {
                return offset; // cut short by a crash: dropped by the caller
            }
            if (applied + offset == 0) {
                generation = header(bytes, offset, newline);
            } else {
                liveBytes += index.apply(parseLine(bytes, offset, newline));
            }
            offset = newline + 1;
        }
        return offset;
    }

    /** The JSON object of a whole line of the given kind, its checksum verified; {@code start} is relative to {@link #applied}. */
    private ObjectNode lineJson(byte[] bytes, int start, int end, String kinds) {
        int json = start + LINE_OVERHEAD - 1;
        if (end - start < LINE_OVERHEAD || kinds.indexOf(bytes[start]) < 0 || bytes[start + 1] != ' '
                || bytes[json - 1] != ' ') {
            throw corrupt(start, "not a table log line");
        }
        long expected;
        try {
            expected = Long.parseLong(new String(bytes, start + 2, 8, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            throw corrupt(start, "bad checksum field");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, json, end - json);
        if (crc.getValue() != expected) {
            throw corrupt(start, "checksum mismatch");
        }
        JsonNode node;
        try {
            node = JSON.readTree(bytes, json, end - json);
        } catch (IOException e) {
            throw corrupt(start, "unreadable JSON");
        }
        if (!(node instanceof ObjectNode object)) {
            throw corrupt(start, "not a JSON object");
        }
        return object;
    }

    private Change parseLine(byte[] bytes, int start, int end) {
        ObjectNode object = lineJson(bytes, start, end, "PD");
        String pk = Items.pk(object);
        String sk = Items.sk(object);
        if (bytes[start] == 'P' && expired(object)) {
            return Change.delete(pk, sk);
        }
        return bytes[start] == 'P' ? Change.put(pk, sk, Arrays.copyOfRange(bytes, start + LINE_OVERHEAD - 1, end))
                : Change.delete(pk, sk);
    }

    /** The generation of a header line at the start of the file. */
    private String header(byte[] bytes, int start, int end) {
        JsonNode value = lineJson(bytes, start, end, "H").get("generation");
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw corruptAt(0, "the header line names no generation");
        }
        return value.asText();
    }

    private IllegalStateException corrupt(long lineStart, String what) {
        return corruptAt(applied + lineStart, what);
    }

    private IllegalStateException corruptAt(long offset, String what) {
        return new IllegalStateException("table log " + file + " is corrupt at offset " + offset + ": " + what
                + "; restore it from a backup or move it away to start the table empty");
    }

    private void append(byte[] line, Durability durability) throws IOException {
        boolean created = generation == null;
        byte[] bytes = line;
        if (created) {
            String next = newGeneration();
            byte[] header = headerLine(next);
            bytes = Arrays.copyOf(header, header.length + line.length);
            System.arraycopy(line, 0, bytes, header.length, line.length);
            generation = next;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (durability.syncs()) {
                channel.force(false);
            }
        }
        if (created && durability.syncs()) {
            AtomicFiles.syncDirectory(dir);
        }
        applied += bytes.length;
        remember(Files.readAttributes(file, BasicFileAttributes.class));
    }

    /** Rewrites the log with only the live items (always fsync'd: it replaces data already written). */
    private void compact() {
        String next = newGeneration();
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 16, liveBytes + 128));
        out.writeBytes(headerLine(next));
        List<Change> expired = new ArrayList<>();
        for (byte[] item : index.all()) {
            ObjectNode object = ttlAttribute == null ? null : FileDocumentTable.parse(item);
            if (object != null && expired(object)) {
                expired.add(Change.delete(Items.pk(object), Items.sk(object)));
            } else {
                out.writeBytes(line('P', item));
            }
        }
        try {
            AtomicFiles.write(file, out.toByteArray(), Durability.SYNCED);
            expired.forEach(change -> liveBytes += index.apply(change));
            generation = next;
            applied = out.size();
            remember(Files.readAttributes(file, BasicFileAttributes.class));
        } catch (IOException e) {
            // the old log is still whole and applied; compaction is retried after the next write
            LOG.log(System.Logger.Level.WARNING, "table log " + file + " not compacted", e);
        }
    }

    /**
     * Tables written before the log kept one JSON file per item at {@code <pk>/<sk>.json}: they become the log's
     * first lines (fsync'd), then the item files are removed.
     */
    private void importLegacyItems() {
        List<Path> itemFiles = new ArrayList<>();
        try (DirectoryStream<Path> partitions = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path partition : partitions) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(partition, "*.json")) {
                    files.forEach(itemFiles::add);
                }
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot list " + dir, e);
        }
        if (itemFiles.isEmpty()) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(headerLine(newGeneration()));
        for (Path itemFile : itemFiles) {
            if (itemFile.getFileName().toString().startsWith(".")) {
                continue;
            }
            try {
                byte[] json = Files.readAllBytes(itemFile);
                ObjectNode item = (ObjectNode) JSON.readTree(json);
                Items.pk(item);
                Items.sk(item);
                out.writeBytes(line('P', JSON.writeValueAsBytes(item)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot import table item " + itemFile + ": " + e.getMessage(), e);
            }
        }
        try {
            AtomicFiles.write(file, out.toByteArray(), Durability.SYNCED);
            for (Path itemFile : itemFiles) {
                Files.deleteIfExists(itemFile);
            }
            try (DirectoryStream<Path> partitions = Files.newDirectoryStream(dir, Files::isDirectory)) {
                for (Path partition : partitions) {
                    try (DirectoryStream<Path> rest = Files.newDirectoryStream(partition)) {
                        for (Path leftover : rest) {
                            if (leftover.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) {
                                Files.deleteIfExists(leftover);
                            }
                        }
                    }
                    Files.deleteIfExists(partition);
                }
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot import the item files of " + dir, e);
        }
        LOG.log(System.Logger.Level.INFO, "table " + dir + ": " + itemFiles.size() + " item files moved into " + FILE);
        catchUp();
    }

    private boolean expired(ObjectNode item) {
        JsonNode expiresAt = ttlAttribute == null ? null : item.get(ttlAttribute);
        return expiresAt != null && expiresAt.isNumber() && expiresAt.asLong() < clock.instant().getEpochSecond();
    }

    private static byte[] line(char kind, byte[] json) {
        CRC32C crc = new CRC32C();
        crc.update(json);
        byte[] line = new byte[json.length + LINE_OVERHEAD];
        line[0] = (byte) kind;
        line[1] = ' ';
        long value = crc.getValue();
        for (int i = 0; i < 8; i++) {
            line[2 + i] = (byte) Character.forDigit((int) (value >>> (28 - 4 * i)) & 0xF, 16);
        }
        line[10] = ' ';
        System.arraycopy(json, 0, line, 11, json.length);
        line[line.length - 1] = '\n';
        return line;
    }

    private static String newGeneration() {
        return java.util.UUID.randomUUID().toString();
    }

    private static byte[] headerLine(String generation) {
        ObjectNode header = JSON.createObjectNode();
        header.put("generation", generation);
        try {
            return line('H', JSON.writeValueAsBytes(header));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] deleteKey(String pk, String sk) {
        ObjectNode key = JSON.createObjectNode();
        key.put("pk", pk);
        key.put("sk", sk);
        try {
            return JSON.writeValueAsBytes(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long lineBytes(byte[] item) {
        return item == null ? 0 : item.length + LINE_OVERHEAD;
    }

    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
