package com.campaignflow.local.sfn.service;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only, checksummed, fsync'd write-ahead log in a directory.
 *
 * <p>Files: {@code wal-N.log} segments and {@code snapshot-N.log} snapshots (the whole state
 * as it was before segment N, in the same record format). Each record is
 * {@code [int length][int crc32c][payload]}; a record whose length runs past the end of the
 * file or whose checksum does not match is a torn tail: it and anything after it in that file
 * are ignored. Appends from many threads are written and fsync'd together (group commit); an
 * append's future completes only once its record is on disk. An append that does not ask to be
 * synced completes once written (it survives the process being killed) and reaches the disk with
 * the next synced append: a batch of such appends alone is not fsync'd.
 *
 * <p>Compaction: {@link #compact} writes a snapshot (temp file, fsync, atomic rename) then
 * deletes the segments and snapshots it replaces, so the directory stays about the size of
 * the live state plus one segment.
 */
final class Journal implements Closeable {

    private static final int HEADER = 8;
    private static final byte[] SNAPSHOT_END = "{\"k\":\"end\"}".getBytes();

    /** What recovery found: records replayed, torn tails skipped, segments read. */
    record RecoveryStats(long records, int tornTails, int files) {
    }

    private sealed interface Command permits Append, Roll, Stop {
    }

    private record Append(byte[] payload, boolean sync, CompletableFuture<Void> done) implements Command {
    }

    private record Roll(List<byte[]> snapshot, CompletableFuture<Void> done) implements Command {
    }

    private record Stop() implements Command {
    }

    private final Path dir;
    private final long segmentLimit;
    /** false: appends are written but not fsync'd (they survive a killed process, not a power cut). */
    private final boolean fsync;
    private final BlockingQueue<Command> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private FileChannel segment;
    private long segmentNumber;
    private volatile long segmentBytes;
    private final RecoveryStats recovery;
    private volatile boolean stopped;

    private Journal(Path dir, long segmentLimit, boolean fsync, Consumer<byte[]> replay) throws IOException {
        this.dir = dir;
        this.segmentLimit = segmentLimit;
        this.fsync = fsync;
        Files.createDirectories(dir);
        this.recovery = replay(replay);
        openSegment(segmentNumber + 1);
        this.writer = Thread.ofPlatform().daemon().name("sfn-journal").start(this::writeLoop);
    }

    /** Replays the directory's records into {@code replay}, then opens a fresh segment for appends. */
    static Journal open(Path dir, long segmentLimit, boolean fsync, Consumer<byte[]> replay) {
        try {
            return new Journal(dir, segmentLimit, fsync, replay);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal in " + dir, e);
        }
    }

    RecoveryStats recovery() {
        return recovery;
    }

    /** Queues a record; the future completes once it is durable (fails if the write fails). */
    CompletableFuture<Void> append(byte[] payload) {
        return append(payload, true);
    }

    /**
     * Queues a record; the future completes once it is written and, when {@code sync}, fsync'd
     * (fails if the write fails).
     */
    CompletableFuture<Void> append(byte[] payload, boolean sync) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (stopped) {
            done.completeExceptionally(new IllegalStateException("the journal is closed"));
            return done;
        }
        Append append = new Append(payload, sync, done);
        queue.add(append);
        if (stopped && queue.remove(append)) {
            done.completeExceptionally(new IllegalStateException("the journal is closed"));
        }
        return done;
    }

    boolean needsCompaction() {
        return segmentBytes > segmentLimit;
    }

    /**
     * Starts a new segment and writes {@code snapshot} (records rebuilding the state as of all
     * records appended before this call) as its snapshot. Callers hold the lock that orders
     * appends, so the snapshot and the segment boundary agree.
     */
    CompletableFuture<Void> compact(List<byte[]> snapshot) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Roll(snapshot, done));
        return done;
    }

    @Override
    public void close() {
        stopped = true;
        queue.add(new Stop());
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- writing

    private void writeLoop() {
        List<Command> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            List<CompletableFuture<Void>> durable = new ArrayList<>();
            boolean stop = false;
            boolean syncNeeded = false;
            try {
                ByteBuffer buffer = null;
                for (Command c : batch) {
                    switch (c) {
                        case Append a -> {
                            if (buffer == null) {
                                buffer = ByteBuffer.allocate(sizeOfAppends(batch));
                            }
                            frame(buffer, a.payload());
                            durable.add(a.done());
                            syncNeeded |= a.sync();
                        }
                        case Roll r -> {
                            buffer = flush(buffer);
                            segment.force(false);
                            complete(durable, null);
                            roll(r.snapshot());
                            r.done().complete(null);
                        }
                        case Stop s -> {
                            stop = true;
                            syncNeeded = true; // a clean close leaves everything on disk
                        }
                    }
                }
                flush(buffer);
                if (fsync && syncNeeded) {
                    segment.force(false);
                }
                complete(durable, null);
            } catch (IOException | RuntimeException e) {
                complete(durable, e);
                for (Command c : batch) {
                    if (c instanceof Roll r) {
                        r.done().completeExceptionally(e);
                    }
                }
            }
            batch.clear();
            if (stop) {
                try {
                    segment.close();
                } catch (IOException e) {
                    // closing after a successful force loses nothing
                }
                for (Command c : queue) {
                    if (c instanceof Append a) {
                        a.done().completeExceptionally(new IllegalStateException("the journal is closed"));
                    }
                }
                return;
            }
        }
    }

    private static int sizeOfAppends(List<Command> batch) {
        int size = 0;
        for (Command c : batch) {
            if (c instanceof Append a) {
                size += HEADER + a.payload().length;
            }
        }
        return size;
    }

    private ByteBuffer flush(ByteBuffer buffer) throws IOException {
        if (buffer != null && buffer.position() > 0) {
            buffer.flip();
            while (buffer.hasRemaining()) {
                segmentBytes += segment.write(buffer);
            }
        }
        return null;
    }

    private static void complete(List<CompletableFuture<Void>> futures, Throwable error) {
        for (CompletableFuture<Void> f : futures) {
            if (error == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(error);
            }
        }
        futures.clear();
    }

    private static void frame(ByteBuffer buffer, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        buffer.putInt(payload.length);
        buffer.putInt((int) crc.getValue());
        buffer.put(payload);
    }

    private void roll(List<byte[]> snapshot) throws IOException {
        segment.close();
        long next = segmentNumber + 1;
        openSegment(next);
        Path tmp = dir.resolve("snapshot-" + number(next) + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            List<byte[]> all = new ArrayList<>(snapshot);
            all.add(SNAPSHOT_END);
            for (byte[] record : all) {
                if (buffer.remaining() < HEADER + record.length) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    buffer.clear();
                    if (buffer.capacity() < HEADER + record.length) {
                        buffer = ByteBuffer.allocate(HEADER + record.length);
                    }
                }
                frame(buffer, record);
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        Files.move(tmp, dir.resolve("snapshot-" + number(next) + ".log"), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        // The snapshot is durable: older segments and snapshots are no longer needed.
        for (Path p : list()) {
            long n = fileNumber(p);
            String f = p.getFileName().toString();
            if (n >= 0 && n < next && (f.startsWith("wal-") || f.startsWith("snapshot-"))) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void openSegment(long number) throws IOException {
        segmentNumber = number;
        segment = FileChannel.open(dir.resolve("wal-" + number(number) + ".log"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        segmentBytes = segment.size();
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
            long[] r = readFile(dir.resolve("snapshot-" + number(snapshot) + ".log"), replay, true);
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
            int length = buffer.getInt();
            int crc = buffer.getInt();
            if (length < 0 || length > buffer.remaining()) {
                return new long[] {count, 1};
            }
            byte[] payload = new byte[length];
            buffer.get(payload);
            CRC32C check = new CRC32C();
            check.update(payload);
            if ((int) check.getValue() != crc) {
                return new long[] {count, 1};
            }
            if (snapshot && java.util.Arrays.equals(payload, SNAPSHOT_END)) {
                return new long[] {count, 0};
            }
            replay.accept(payload);
            count++;
        }
        return new long[] {count, buffer.hasRemaining() ? 1 : 0};
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
