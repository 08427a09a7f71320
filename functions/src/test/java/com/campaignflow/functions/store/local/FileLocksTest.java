package com.campaignflow.functions.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.ports.StoreUnavailableException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLocksTest {

    @TempDir
    Path dir;

    @Test
    void lockingInEverNewDirectories_keepsABoundedNumberOfLockFilesOpen() {
        for (int i = 0; i < 3 * FileLocks.KEPT_IDLE; i++) {
            int n = i;
            assertThat(FileLocks.withLock(dir.resolve("d" + i).resolve(".lock"), () -> n)).isEqualTo(n);
        }

        assertThat(FileLocks.channelsOpen()).isLessThanOrEqualTo(FileLocks.KEPT_IDLE);
        assertThat(FileLocks.pathsInUse()).isZero();
    }

    @Test
    void aLockFileChannelClosedByAnInterrupt_isOpenedAgainByTheNextLock() {
        Path lock = dir.resolve(".lock");
        FileLocks.withLock(lock, () -> null); // the channel is open and kept

        Thread.currentThread().interrupt(); // an interrupted lock() closes the channel
        assertThatThrownBy(() -> FileLocks.withLock(lock, () -> null)).isInstanceOf(StoreUnavailableException.class);
        assertThat(Thread.interrupted()).isTrue();

        assertThat(FileLocks.withLock(lock, () -> "locked again")).isEqualTo("locked again");
        assertThat(FileLocks.pathsInUse()).isZero();
    }

    @Test
    void twoThreads_neverHoldOneLockFileAtOnce() throws Exception {
        Path lock = dir.resolve(".lock");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(2);
        Runnable worker = () -> {
            for (int i = 0; i < 500; i++) {
                FileLocks.withLock(lock, () -> {
                    if (inside.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    Thread.onSpinWait();
                    inside.decrementAndGet();
                    return null;
                });
            }
            done.countDown();
        };
        Thread.ofPlatform().start(worker);
        Thread.ofPlatform().start(worker);

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(overlaps).hasValue(0);
    }
}
