package com.campaignflow.functions.config;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The environment variables of the running function. On Lambda these are the process environment; the local
 * cloud runs every function in one JVM, so it binds each function's variables from template.yaml with
 * {@link #runWith(Map, Callable)} while it constructs and invokes that function's handler.
 * Handlers and services read configuration only through this class.
 */
public final class FunctionEnvironment {

    private static final ThreadLocal<Map<String, String>> BOUND = new ThreadLocal<>();
    private static final ThreadLocal<Consumer<String>> READS = new ThreadLocal<>();

    private FunctionEnvironment() {
    }

    public static Optional<String> get(String name) {
        Consumer<String> reads = READS.get();
        if (reads != null) {
            reads.accept(name);
        }
        Map<String, String> bound = BOUND.get();
        String value = bound != null ? bound.get(name) : System.getenv(name);
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }

    /** The variable's value, or an IllegalStateException naming the missing variable. */
    public static String require(String name) {
        return get(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " is not set"));
    }

    /** Runs {@code body} on this thread with {@code variables} as the whole environment (local cloud only). */
    public static <T> T runWith(Map<String, String> variables, Callable<T> body) throws Exception {
        Map<String, String> previous = BOUND.get();
        BOUND.set(Map.copyOf(variables));
        try {
            return body.call();
        } finally {
            if (previous == null) {
                BOUND.remove();
            } else {
                BOUND.set(previous);
            }
        }
    }

    /**
     * {@code body} bound to this thread's environment, for running on another thread (an agent run with a time
     * limit): without it, code there would read the process environment where the local cloud bound the function's.
     */
    public static <T> Callable<T> inheritedBy(Callable<T> body) {
        Map<String, String> bound = BOUND.get();
        return bound == null ? body : () -> runWith(bound, body);
    }

    /**
     * Runs {@code body} on this thread reporting the name of every variable read (set or not) to {@code observer}:
     * how a test learns which variables a handler really reads.
     */
    public static <T> T observeReads(Consumer<String> observer, Callable<T> body) throws Exception {
        Consumer<String> previous = READS.get();
        READS.set(previous == null ? observer : previous.andThen(observer));
        try {
            return body.call();
        } finally {
            if (previous == null) {
                READS.remove();
            } else {
                READS.set(previous);
            }
        }
    }
}
