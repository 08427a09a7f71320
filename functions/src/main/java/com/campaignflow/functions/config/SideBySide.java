package com.campaignflow.functions.config;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Work of several independent items done side by side on virtual threads that see the function's environment, at
 * most a given number at once: for calls that mostly wait on a store or a service, so a page of them costs about one
 * round trip per batch instead of one per item.
 */
public final class SideBySide {

    /** Store calls of one request made at once: enough to hide the round trips of a page, few enough not to throttle. */
    public static final int STORE_CALLS_AT_ONCE = 8;

    private SideBySide() {
    }

    /**
     * {@code work} of each item, results in the items' order. Every item is worked on; when some fail, the first
     * failing item's exception is thrown (as working through them in order would, had the others not run).
     */
    public static <T, R> List<R> map(List<T> items, int atOnce, Function<T, R> work) {
        if (items.size() <= 1) {
            List<R> results = new ArrayList<>(items.size());
            items.forEach(item -> results.add(work.apply(item)));
            return results;
        }
        Semaphore permits = new Semaphore(atOnce);
        List<Future<R>> futures = new ArrayList<>(items.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                futures.add(threads.submit(FunctionEnvironment.inheritedBy(() -> {
                    permits.acquire();
                    try {
                        return work.apply(item);
                    } finally {
                        permits.release();
                    }
                })));
            }
        } // waits for every item
        List<R> results = new ArrayList<>(items.size());
        for (Future<R> future : futures) {
            switch (future.state()) {
                case SUCCESS -> results.add(future.resultNow());
                case FAILED -> throw unchecked(future.exceptionNow());
                default -> throw new IllegalStateException("interrupted while waiting for work side by side");
            }
        }
        return results;
    }

    private static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            return e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(failure);
    }
}
