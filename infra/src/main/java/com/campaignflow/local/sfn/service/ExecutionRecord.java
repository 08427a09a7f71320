package com.campaignflow.local.sfn.service;

import com.campaignflow.local.sfn.Execution;
import com.campaignflow.local.sfn.history.HistoryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
    String lastRedriveToken;
    /**
     * The history in id order, each event as its journal record: written once when journaled,
     * reused as it is by snapshots, parsed only when someone reads the history.
     */
    private final List<byte[]> history = new ArrayList<>();
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
        return history.size();
    }

    /** An event journaled as {@code record}, with its id. */
    void add(byte[] record, long id) {
        history.add(record);
        lastEventId = id;
    }

    /** The history, parsed; records parsed by an earlier read are not parsed again while that read's cache lives. */
    List<HistoryEvent> events(java.util.function.Function<byte[], HistoryEvent> parser) {
        List<HistoryEvent> events = parsed == null ? null : parsed.get();
        if (events == null) {
            events = new ArrayList<>(history.size());
        }
        if (events.size() < history.size()) {
            for (int i = events.size(); i < history.size(); i++) {
                events.add(parser.apply(history.get(i)));
            }
            parsed = new java.lang.ref.SoftReference<>(events);
        }
        return List.copyOf(events);
    }

    /** The journal records of the history, as they were written (for snapshots). */
    List<byte[]> records() {
        return history;
    }
}
