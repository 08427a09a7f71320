package com.campaignflow.local.sfn.service;

import com.campaignflow.functions.store.local.Durability;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only, checksummed, fsync'd write-ahead log in a directory.
 *
 * <p>Files: {@code wal-N.log} segments and {@code snapshot-N.log} snapshots (the whole state
 * as it was before segment N, in the same record format). Each record is
 * {@code [int length][int crc32c][payload]}; a record whose length runs past the end of the
 * file or whose checksum does not match is a torn tail (a write cut short): it and anything after
 * it in that file are ignored. A damaged record with an intact one anywhere after it is not a
 * torn tail but corruption, and the journal refuses to open rather than silently drop the
 * executions recorded after it.
 *
 * <p>Writing is split in two so that callers can order records under their own lock and wait
 * for the disk outside it: {@link #append} queues a record and returns its sequence number;
 * {@link #commit} writes every record queued up to it and, when asked, fsyncs. Commits run on
 * the committing thread (no hand-off to a writer thread); threads committing at the same time
 * are served together (group commit): whoever holds the write lock writes all records queued
 * so far with one write and, if any of them asked for it, one fsync. A record committed
 * without sync survives the process being killed once commit returns and reaches the disk with
 * the next synced commit (one ordered log). Files are written through {@link RandomAccessFile},
 * which, unlike a {@code FileChannel}, is not closed when an interrupted thread (an aborted
 * execution) writes to it. After a failed write the journal refuses further commits: what
 * follows a torn record would be ignored by replay.
 *
 * <p>Compaction: {@link #roll} starts a new segment (the boundary the snapshot describes) and
 * {@link #writeSnapshot} writes the snapshot (temp file, fsync, atomic rename), then deletes the
 * segments and snapshots it replaces. {@link #needsCompaction} asks for it once the segments
 * written since the last snapshot outgrow both the segment limit and that snapshot, so the
 * cost of rewriting the live state is paid once per as many bytes appended (amortised O(1) per
 * record) and the directory stays below about twice the live state plus one segment limit.
 */
final class Journal implements Closeable {

    private static final int HEADER = 8;
    private static final byte[] SNAPSHOT_END = "{\"k\":\"end\"}".getBytes();

    /** What recovery found: records replayed, torn tails skipped, segments read. */
    record RecoveryStats(long records, int tornTails, int files) {
    }

    private final Path dir;
    private final long segmentLimit;
    /**
     * false: appends are written but not fsync'd (they survive a killed process, not a power cut). Also
     * false on a file system held in memory (tmpfs, ramfs), where fsync does nothing: nothing there survives
     * a power cut, and a killed process loses nothing written.
     */
    private final boolean fsync;
    private final RecoveryStats recovery;

    /** Guards the queue of records appended but not written yet, and their sequence numbers. */
    private final Object queueLock = new Object();
    private List<byte[]> queued = new ArrayList<>();
    private List<byte[]> spare = new ArrayList<>();
    private long appended;
    private boolean stopped;

    /** Guards the open segment and everything below: one thread writes at a time. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private RandomAccessFile segment;
    private boolean open;
    private long segmentNumber;
    private long written;
    private long synced;
    /** The first write or sync that failed: from then on nothing more is written (the log has no silent gap). */
    private volatile IOException failure;
    private byte[] buffer = new byte[64 * 1024];
    private final CRC32C crc = new CRC32C();
    /** Bytes of the segments written since the last snapshot (all of them, when there is none). */
    private volatile long logBytes;
    /** Size of the last snapshot: the live state as it was then. */
    private volatile long snapshotBytes;

    private Journal(Path dir, long segmentLimit, boolean fsync, Consumer<byte[]> replay) throws IOException {
        this.dir = dir;
        this.segmentLimit = segmentLimit;
        this.fsync = fsync && !Durability.inMemoryFileSystem(dir);
        (this.fsync ? Durability.SYNCED : Durability.PROCESS_SAFE).createDirectories(dir);
        this.recovery = replay(replay);
        openSegment(segmentNumber + 1);
    }

    /** Replays the directory's records into {@code replay}, then opens a fresh segment for appends. */
    static Journal open(Path dir, long segmentLimit, boolean fsync, Consumer<byte[]> replay) {
        try {
            return new Journal(dir, segmentLimit, fsync, replay);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal in " + dir + ": " + e.getMessage(), e);
        }
    }

    RecoveryStats recovery() {
        return recovery;
    }

    /**
     * Queues a record and returns its sequence number; records are written in the order of
     * these calls (callers order them under their own lock). Nothing is written until a commit.
     */
    long append(byte[] payload) {
        synchronized (queueLock) {
            if (stopped) {
                throw new IllegalStateException("the journal is closed");
            }
            IOException failed = failure;
            if (failed != null) {
                // refused before the caller applies the record: what it holds in memory stays what is on disk
                throw new UncheckedIOException("an earlier write to the journal in " + dir + " failed", failed);
            }
            queued.add(payload);
            return ++appended;
        }
    }

    /**
     * Returns once the record numbered {@code sequence} and all before it are written and, when
     * {@code sync}, fsync'd (unless the journal runs without fsync). Throws if the write fails,
     * or failed before without this record on disk: the log has no silent gap.
     */
    void commit(long sequence, boolean sync) {
        writeLock.lock();
        try {
            if (written >= sequence && (!sync || !fsync || synced >= sequence)) {
                // an earlier commit or roll wrote it (and synced it): it is on disk whatever failed after it,
                // and a caller told otherwise would report as not done what a restart then carries out
                return;
            }
            checkWritable();
            if (written < sequence) {
                writeQueued();
            }
            if (sync && fsync && synced < sequence) {
                long upTo = written;
                segment.getFD().sync();
                synced = upTo;
            }
        } catch (IOException e) {
            failure = e;
            throw new UncheckedIOException("cannot write the journal in " + dir, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Appends a record and returns once it is written and (when {@code sync}) durable. */
    void write(byte[] payload, boolean sync) {
        commit(append(payload), sync);
    }

    boolean needsCompaction() {
        return logBytes > Math.max(segmentLimit, snapshotBytes);
    }

    /**
     * Writes and fsyncs what is queued, then starts a new segment and returns its number: the
     * snapshot for it must hold the state as of every record appended before this call.
     * Callers hold the lock that orders appends, so the snapshot and the boundary agree.
     */
    long roll() {
        writeLock.lock();
        try {
            checkWritable();
            writeQueued();
            segment.getFD().sync(); // the old segment is complete on disk before anything goes to the next
            synced = written;
            open = false;
            segment.close();
            logBytes = 0;
            openSegment(segmentNumber + 1);
            return segmentNumber;
        } catch (IOException e) {
            failure = e;
            throw new UncheckedIOException("cannot start a journal segment in " + dir, e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Writes {@code records} (the state as of the {@link #roll} that returned {@code number}) as
     * that segment's snapshot and deletes the segments and snapshots it replaces. Appends go on
     * meanwhile; callers write one snapshot at a time.
     */
    void writeSnapshot(long number, Iterable<byte[]> records) {
        Path tmp = dir.resolve("snapshot-" + number(number) + ".tmp");
        try {
            long size = 0;
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                CRC32C check = new CRC32C();
                for (byte[] record : records) {
                    chunk = put(record, chunk, check, out);
                }
                chunk = put(SNAPSHOT_END, chunk, check, out);
                drain(chunk, out);
                out.force(true);
                size = out.size();
            }
            Files.move(tmp, dir.resolve("snapshot-" + number(number) + ".log"), StandardCopyOption.ATOMIC_MOVE);
            syncDirectory();
            snapshotBytes = size;
            // The snapshot is durable: older segments and snapshots are no longer needed.
            for (Path p : list()) {
                long n = fileNumber(p);
                String f = p.getFileName().toString();
                if (n >= 0 && n < number && (f.startsWith("wal-") || f.startsWith("snapshot-"))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal snapshot " + tmp, e);
        }
    }

    @Override
    public void close() {
        synchronized (queueLock) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        writeLock.lock();
        try {
            if (failure == null) {
                writeQueued();
                if (fsync) {
                    segment.getFD().sync(); // a clean close leaves everything on disk
                }
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            open = false;
            try {
                segment.close();
            } catch (IOException e) {
                // nothing more can be done; what was synced is on disk
            }
            writeLock.unlock();
        }
    }

    /** True once a write or sync failed (a full or failing disk): the journal takes nothing more. */
    boolean failed() {
        return failure != null;
    }

    /** The write or sync that failed first, if one did. */
    java.util.Optional<IOException> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    // ---------------------------------------------------------------- writing

    private void checkWritable() {
        if (failure != null) {
            throw new UncheckedIOException("an earlier write to the journal in " + dir + " failed", failure);
        }
        if (!open) {
            throw new IllegalStateException("the journal is closed");
        }
    }

    /** Writes every queued record with one write; caller holds the write lock. */
    private void writeQueued() throws IOException {
        List<byte[]> batch;
        long upTo;
        synchronized (queueLock) {
            batch = queued;
            queued = spare;
            upTo = appended;
        }
        try {
            int size = 0;
            for (byte[] record : batch) {
                size += HEADER + record.length;
            }
            if (buffer.length < size) {
                buffer = new byte[Math.max(size, buffer.length * 2)];
            }
            int at = 0;
            for (byte[] record : batch) {
                crc.reset();
                crc.update(record);
                at = putInt(buffer, at, record.length);
                at = putInt(buffer, at, (int) crc.getValue());
                System.arraycopy(record, 0, buffer, at, record.length);
                at += record.length;
            }
            segment.write(buffer, 0, size);
            logBytes += size;
            written = upTo;
            if (buffer.length > (1 << 20) && size < (1 << 16)) {
                buffer = new byte[64 * 1024]; // a big batch does not keep its buffer
            }
        } finally {
            batch.clear();
            spare = batch;
        }
    }

    private static int putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
        return at + 4;
    }

    /** Adds a record to {@code chunk}, first writing out what it holds if the record does not fit; returns the chunk to go on with. */
    private static ByteBuffer put(byte[] record, ByteBuffer chunk, CRC32C check, FileChannel out) throws IOException {
        if (chunk.remaining() < HEADER + record.length) {
            drain(chunk, out);
            if (chunk.capacity() < HEADER + record.length) {
                chunk = ByteBuffer.allocate(HEADER + record.length);
            }
        }
        check.reset();
        check.update(record);
        chunk.putInt(record.length).putInt((int) check.getValue()).put(record);
        return chunk;
    }

    private static long drain(ByteBuffer buffer, FileChannel out) throws IOException {
        buffer.flip();
        long n = 0;
        while (buffer.hasRemaining()) {
            n += out.write(buffer);
        }
        buffer.clear();
        return n;
    }

    private void openSegment(long number) throws IOException {
        segmentNumber = number;
        segment = new RandomAccessFile(dir.resolve("wal-" + number(number) + ".log").toFile(), "rw");
        long size = segment.length();
        segment.seek(size);
        open = true;
        logBytes += size;
        syncDirectory();
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }

    // ---------------------------------------------------------------- recovery

    private RecoveryStats replay(Consumer<byte[]> replay) throws IOException {
        List<Path> files = list();
        long snapshot = -1;
        for (Path p : files) {
            String f = p.getFileName().toString();
            if (f.startsWith("snapshot-") && f.endsWith(".log")) {
                snapshot = Math.max(snapshot, fileNumber(p));
            } else if (f.endsWith(".tmp")) {
                Files.deleteIfExists(p); // an interrupted compaction; its segments are still there
            }
        }
        long records = 0;
        int torn = 0;
        int read = 0;
        long highest = snapshot < 0 ? 0 : snapshot - 1;
        if (snapshot >= 0) {
            Path file = dir.resolve("snapshot-" + number(snapshot) + ".log");
            long[] r = readFile(file, replay, true);
            snapshotBytes = Files.size(file);
            records += r[0];
            torn += (int) r[1];
            read++;
        }
        for (Path p : files) {
            String f = p.getFileName().toString();
            long n = fileNumber(p);
            if (f.startsWith("wal-") && Files.size(p) == 0) {
                Files.delete(p); // opened by a run that wrote nothing
                continue;
            }
            if (f.startsWith("wal-") && n >= Math.max(snapshot, 0)) {
                long[] r = readFile(p, replay, false);
                logBytes += Files.size(p);
                records += r[0];
                torn += (int) r[1];
                read++;
                highest = Math.max(highest, n);
            }
        }
        segmentNumber = highest;
        return new RecoveryStats(records, torn, read);
    }

    /** Reads one file's records; returns {records, 1 if a torn tail was found}. */
    private static long[] readFile(Path file, Consumer<byte[]> replay, boolean snapshot) throws IOException {
        byte[] data = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(data);
        long count = 0;
        while (buffer.remaining() >= HEADER) {
            int start = buffer.position();
            int length = buffer.getInt();
            int crc = buffer.getInt();
            if (length < 0 || length > buffer.remaining()) {
                return tornTail(file, data, start, count);
            }
            byte[] payload = new byte[length];
            buffer.get(payload);
            CRC32C check = new CRC32C();
            check.update(payload);
            if ((int) check.getValue() != crc) {
                return tornTail(file, data, start, count);
            }
            if (snapshot && java.util.Arrays.equals(payload, SNAPSHOT_END)) {
                return new long[] {count, 0};
            }
            replay.accept(payload);
            count++;
        }
        return new long[] {count, buffer.hasRemaining() ? 1 : 0};
    }

    /** The end of a file's replay at a damaged record: {records, 1}, unless intact records follow it (corruption). */
    private static long[] tornTail(Path file, byte[] data, int damagedAt, long records) throws IOException {
        if (intactRecordFrom(data, damagedAt + 1)) {
            throw new IOException("engine journal file " + file + " is corrupt at offset " + damagedAt
                    + ": a damaged record with intact ones after it (not a write cut short); restore the file from a"
                    + " backup, or move the journal directory away to start the engine empty (its executions are"
                    + " then lost; campaigns can resume from their checkpoints)");
        }
        return new long[] {records, 1};
    }

    /** Whether an intact record (a JSON object payload whose checksum matches) starts anywhere at or after {@code from}. */
    private static boolean intactRecordFrom(byte[] data, int from) {
        ByteBuffer view = ByteBuffer.wrap(data);
        for (int at = from; at + HEADER < data.length; at++) {
            int length = view.getInt(at);
            int payload = at + HEADER;
            if (length < 2 || length > data.length - payload || data[payload] != '{' || data[payload + length - 1] != '}') {
                continue;
            }
            CRC32C check = new CRC32C();
            check.update(data, payload, length);
            if ((int) check.getValue() == view.getInt(at + 4)) {
                return true;
            }
        }
        return false;
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static long fileNumber(Path p) {
        String f = p.getFileName().toString();
        int dash = f.indexOf('-');
        int dot = f.indexOf('.');
        if (dash < 0 || dot < dash) {
            return -1;
        }
        try {
            return Long.parseLong(f.substring(dash + 1, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String number(long n) {
        return String.format("%012d", n);
    }
}
