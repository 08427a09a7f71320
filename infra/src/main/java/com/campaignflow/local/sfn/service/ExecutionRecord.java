package com.campaignflow.local.sfn.service;

import com.campaignflow.local.sfn.Execution;
import com.campaignflow.local.sfn.history.HistoryEvent;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * One execution as the service keeps it: what it was started with (including the definition
 * revision it runs, so updates and redrives do not change it), its status and its history.
 * Mutated only under the service lock.
 */
final class ExecutionRecord {

    final String arn;
    final String stateMachineArn;
    final String name;
    final String input;
    /** The state machine revision the execution runs (DescribeStateMachineForExecution). */
    final StateMachineRecord machine;
    /** Mock-config test case, or null. */
    final String testCase;
    final Instant startDate;
    String status = "RUNNING";
    Instant stopDate;
    String output;
    String error;
    String cause;
    int redriveCount;
    Instant redriveDate;
    /**
     * The client tokens of the latest redrives, oldest first, at most {@link #REDRIVE_TOKENS_KEPT}: each with the
     * time of the redrive it made (journaled with its ExecutionRedriven event, and in snapshots).
     */
    final java.util.ArrayDeque<RedriveToken> redriveTokens = new java.util.ArrayDeque<>();

    /** As on AWS, the last 10 client tokens of an execution's redrives are remembered. */
    static final int REDRIVE_TOKENS_KEPT = 10;

    record RedriveToken(String token, Instant redriveDate) {
    }

    /** Remembers the client token of a redrive made at {@code redriveDate}; null (no token) is not kept. */
    void rememberRedriveToken(String token, Instant redriveDate) {
        if (token == null) {
            return;
        }
        redriveTokens.removeIf(t -> t.token().equals(token));
        redriveTokens.addLast(new RedriveToken(token, redriveDate));
        while (redriveTokens.size() > REDRIVE_TOKENS_KEPT) {
            redriveTokens.removeFirst();
        }
    }

    /** The remembered redrive made with this client token, or null. */
    RedriveToken redriveToken(String token) {
        for (RedriveToken t : redriveTokens) {
            if (t.token().equals(token)) {
                return t;
            }
        }
        return null;
    }
    /**
     * The history in id order, each event as its journal record: written once when journaled,
     * reused as it is by snapshots, parsed only when someone reads the history. Empty while packed.
     */
    private List<byte[]> history = new ArrayList<>();
    /**
     * A closed execution's history as one deflated block ({@link #pack}), or null. Journal records
     * of a campaign deflate about 12:1, and a history is rarely read once its execution ended, so a
     * long-running local cloud keeps thousands of them in a fraction of the memory.
     */
    private byte[] packed;
    private int packedCount;
    /**
     * The history parsed as far as it was last read, kept while memory allows: paging through a long
     * history or polling a running execution parses each record once.
     */
    private java.lang.ref.SoftReference<List<HistoryEvent>> parsed;
    private long lastEventId;
    /** The journal sequence of its StartExecution record; 0 when read from the journal (durable already). */
    long startSequence;
    /** The engine's handle while it runs in this process. */
    Execution running;
    /**
     * Engine event id → journaled id for the current run. Branches take ids before their
     * events are journaled, so a crash can lose an id in the middle; journaled ids are
     * assigned in journal order instead, and stay contiguous. Ids up to {@link #runBase}
     * (the history before this run) are the same on both sides.
     */
    final java.util.Map<Long, Long> journaledIds = new java.util.HashMap<>();
    long runBase;

    ExecutionRecord(String arn, String stateMachineArn, String name, String input, StateMachineRecord machine,
            String testCase, Instant startDate) {
        this.arn = arn;
        this.stateMachineArn = stateMachineArn;
        this.name = name;
        this.input = input;
        this.machine = machine;
        this.testCase = testCase;
        this.startDate = startDate;
    }

    long lastEventId() {
        return lastEventId;
    }

    /** From a snapshot summary, before its unparsed event records are attached. */
    void setLastEventId(long id) {
        lastEventId = id;
    }

    int eventCount() {
        return packed != null ? packedCount : history.size();
    }

    /** An event journaled as {@code record}, with its id (a redriven execution's history is unpacked again). */
    void add(byte[] record, long id) {
        if (packed != null) {
            history = new ArrayList<>(unpack(packed, packedCount));
            packed = null;
        }
        history.add(record);
        lastEventId = id;
    }

    /** The history, parsed; records parsed by an earlier read are not parsed again while that read's cache lives. */
    List<HistoryEvent> events(java.util.function.Function<byte[], HistoryEvent> parser) {
        List<HistoryEvent> events = parsed == null ? null : parsed.get();
        if (events == null) {
            events = new ArrayList<>(eventCount());
        }
        if (events.size() < eventCount()) {
            List<byte[]> records = packed != null ? unpack(packed, packedCount) : history;
            for (int i = events.size(); i < records.size(); i++) {
                events.add(parser.apply(records.get(i)));
            }
            parsed = new java.lang.ref.SoftReference<>(events);
        }
        return List.copyOf(events);
    }

    boolean isPacked() {
        return packed != null;
    }

    /** The history as it is now, unchanged by later events; unpacking (if packed) waits for {@link History#records}. */
    History history() {
        return packed != null ? new History(null, packed, packedCount) : new History(List.copyOf(history), null, 0);
    }

    /** A history taken by {@link #history()}: its journal records, or the block they are packed in. */
    record History(List<byte[]> unpacked, byte[] packed, int packedCount) {

        int size() {
            return packed != null ? packedCount : unpacked.size();
        }

        boolean isPacked() {
            return packed != null;
        }

        List<byte[]> records() {
            return packed != null ? unpack(packed, packedCount) : unpacked;
        }
    }

    /**
     * Keeps {@code block} (made by {@link #pack(List)} from {@code taken}) instead of the records, if the
     * execution is closed and has no events beyond {@code taken}; false otherwise (nothing changes).
     */
    boolean usePacked(History taken, byte[] block) {
        if (packed != null || taken.isPacked() || "RUNNING".equals(status) || history.size() != taken.size()) {
            return false;
        }
        packed = block;
        packedCount = history.size();
        history = List.of();
        return true;
    }

    /**
     * A closed execution's history read from a snapshot as the block {@link #pack} made ({@code count} events), kept
     * packed; only on a record that has no events yet.
     */
    void restorePacked(byte[] block, int count) {
        if (packed != null || !history.isEmpty() || count < 1) {
            throw new IllegalStateException("a packed history is restored once, into an execution without events: "
                    + arn);
        }
        packed = block;
        packedCount = count;
        history = List.of();
    }

    /** Deflates length-prefixed records into one block. */
    static byte[] pack(List<byte[]> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, deflater, 8192))) {
            for (byte[] record : records) {
                out.writeInt(record.length);
                out.write(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: does not happen
        } finally {
            deflater.end();
        }
        return bytes.toByteArray();
    }

    static List<byte[]> unpack(byte[] block, int count) {
        List<byte[]> records = new ArrayList<>(count);
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(new java.io.ByteArrayInputStream(block)))) {
            for (int i = 0; i < count; i++) {
                byte[] record = new byte[in.readInt()];
                in.readFully(record);
                records.add(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a packed execution history is damaged", e);
        }
        return records;
    }
}
