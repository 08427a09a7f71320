package com.campaignflow.local.bench;

import com.campaignflow.local.sfn.service.ExecutionView;
import com.campaignflow.local.sfn.service.LocalStepFunctions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Measures how long the local Step Functions service takes to start on a data directory
 * holding many stored executions (journal replay, snapshot load, resuming what ran).
 *
 * <pre>
 * java -cp &lt;infra test classpath&gt; com.campaignflow.local.bench.SfnStartupBenchmark seed DIR 10000 [RUNNING]
 * java -cp &lt;infra test classpath&gt; com.campaignflow.local.bench.SfnStartupBenchmark open DIR [ROUNDS]
 * java -cp &lt;infra test classpath&gt; com.campaignflow.local.bench.SfnStartupBenchmark memory DIR [SETTLE_SECONDS]
 * </pre>
 * {@code seed} stores N finished executions of a six-state machine (14 history events each)
 * plus RUNNING executions parked in a one-hour Wait; {@code open} starts the service ROUNDS
 * times in this JVM and prints each startup (the first is the cold one). {@code memory} prints the heap the
 * started service keeps (after a full GC), once right after startup and again after SETTLE_SECONDS (default 10)
 * of background work such as packing closed histories.
 */
public final class SfnStartupBenchmark {

    private static final String ROLE = "arn:aws:iam::123456789012:role/bench";
    private static final String FINISHING = """
            {"StartAt":"Plan","States":{
              "Plan":{"Type":"Pass","Result":{"agents":["research","write","edit"]},"ResultPath":"$.plan","Next":"Research"},
              "Research":{"Type":"Pass","Result":"notes","ResultPath":"$.research","Next":"Write"},
              "Write":{"Type":"Pass","Result":"draft","ResultPath":"$.draft","Next":"Edit"},
              "Edit":{"Type":"Pass","Result":"edited","ResultPath":"$.edited","Next":"Check"},
              "Check":{"Type":"Choice","Choices":[{"Variable":"$.edited","StringEquals":"edited","Next":"Done"}],
                       "Default":"Done"},
              "Done":{"Type":"Succeed"}}}""";
    private static final String PARKED = """
            {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":3600,"End":true}}}""";

    private SfnStartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("seed")) {
            seed(Path.of(args[1]), Integer.parseInt(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 0);
        } else if (args.length >= 2 && args[0].equals("open")) {
            open(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 1);
        } else if (args.length >= 2 && args[0].equals("memory")) {
            memory(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 10);
        } else {
            System.err.println("usage: seed DIR N [RUNNING] | open DIR [ROUNDS] | memory DIR [SETTLE_SECONDS]");
            System.exit(2);
        }
    }

    private static void seed(Path dir, int n, int running) throws Exception {
        long t0 = System.nanoTime();
        try (LocalStepFunctions service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir))) {
            String finishing = service.createStateMachine("bench", FINISHING, ROLE, null).arn();
            String parked = service.createStateMachine("parked", PARKED, ROLE, null).arn();
            Semaphore inFlight = new Semaphore(512);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                inFlight.acquire();
                int index = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        ExecutionView e = service.startExecution(finishing, "e" + index,
                                "{\"campaign\":\"c" + index + "\",\"topic\":\"serverless resilience\"}");
                        service.completion(e.executionArn()).get(60, TimeUnit.SECONDS);
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            for (int i = 0; i < running; i++) {
                service.startExecution(parked, "parked" + i, "{}");
            }
        }
        System.out.printf("seeded %d finished + %d running executions in %d ms; journal %d KiB in %d files%n", n,
                running, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), size(dir) / 1024, files(dir));
    }

    private static void open(Path dir, int rounds) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long gc0 = gcMillis();
            try (LocalStepFunctions service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir))) {
                long cpu = TimeUnit.NANOSECONDS.toMillis(threads.getCurrentThreadCpuTime() - cpu0);
                LocalStepFunctions.Startup s = service.startup();
                System.out.printf("startup %d: %d ms wall, %d ms CPU on the starting thread, %d ms GC"
                        + " (%d executions, %d resumed, %d records replayed, %d torn tails)%n", r + 1, s.millis(), cpu,
                        gcMillis() - gc0, s.executions(), s.resumed(), s.records(), s.tornTails());
            }
        }
    }

    private static void memory(Path dir, int settleSeconds) throws InterruptedException {
        long empty = heapAfterGc();
        try (LocalStepFunctions service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir))) {
            int executions = service.startup().executions();
            long started = heapAfterGc() - empty;
            Thread.sleep(settleSeconds * 1000L);
            long settled = heapAfterGc() - empty;
            System.out.printf("heap kept for %d executions: %d KiB after startup (%d bytes each), %d KiB after %d s"
                    + " (%d bytes each)%n", executions, started / 1024, started / executions, settled / 1024,
                    settleSeconds, settled / executions);
        }
    }

    private static long heapAfterGc() {
        var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long gcMillis() {
        long total = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static long files(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
