package com.campaignflow.functions.store.local;

/** How far a local file write has gone when it returns. Both are atomic: a reader never sees a partial file. */
public enum Durability {
    /** File and directory fsync'd before returning: the write survives a power cut. */
    SYNCED,
    /**
     * Written and renamed into place without fsync: survives the process being killed (the data is in the OS page
     * cache, which the OS writes back within seconds), not a power cut. For data that is rebuilt or only observed
     * (health, performance, progress), and for local runs that choose speed over power-cut safety.
     */
    PROCESS_SAFE;

    boolean syncs() {
        return this == SYNCED;
    }
}
