package com.campaignflow.local.bench;

import com.campaignflow.local.sfn.ExecutionOptions;
import com.campaignflow.local.sfn.ExecutionRunner;
import com.campaignflow.local.sfn.StateMachineDefinition;
import com.campaignflow.local.sfn.lambda.InMemoryLambdaInvoker;
import com.campaignflow.local.sfn.service.LocalStepFunctions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * What the durable Step Functions service adds to an execution: the benchmark's six-Task definition
 * ({@code infra/bench/definitions/six-task-retry-catch.asl.json}) with tasks that answer at once, each adding a
 * small result (a checkpoint reference and a 200-character summary, as an agent result does), run one after
 * another on the journaled {@link LocalStepFunctions} (StartExecution to completion) and on the bare engine, in
 * alternating rounds.
 *
 * <pre>
 * java -cp &lt;infra test classpath&gt; com.campaignflow.local.bench.JournalOverheadBenchmark DIR [ROUNDS] [ROUND_MS] [FSYNC]
 * </pre>
 * DIR holds the journal (a tmpfs directory separates the service's own work from the disk's fsync latency).
 */
public final class JournalOverheadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:000000000000:function:bench-step";

    private JournalOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DIR [ROUNDS] [ROUND_MS] [FSYNC]");
            System.exit(2);
        }
        try (TempDirs dirs = new TempDirs()) { // the journal grows by about 18 KB per execution: deleted at the end
            run(dirs.create(Path.of(args[0]), "journal-overhead-"), args);
        }
    }

    private static void run(Path dir, String[] args) throws Exception {
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        long roundMs = args.length > 2 ? Long.parseLong(args[2]) : 2000;
        boolean fsync = args.length <= 3 || Boolean.parseBoolean(args[3]);
        Path root = BenchSettings.findRoot(Path.of(""));
        String asl = Files.readString(root.resolve("infra/bench/definitions/six-task-retry-catch.asl.json"));
        JsonNode input = JSON.readTree(root.resolve("infra/bench/definitions/input.json").toFile());
        String summary = "s".repeat(200);
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker();
        invoker.register(FUNCTION, event -> {
            ObjectNode out = ((ObjectNode) event).deepCopy();
            ObjectNode results = out.with("results");
            results.putObject("step_" + results.size()).put("checkpoint_id", "wf-bench/checkpoint_001")
                    .put("summary", summary);
            return out;
        });
        StateMachineDefinition definition = StateMachineDefinition.parse(asl);
        try (LocalStepFunctions sfn = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir)
                .withInvoker(invoker).withFsync(fsync))) {
            String machine = sfn.createStateMachine("journal-overhead", asl, "arn:aws:iam::123456789012:role/bench",
                    "STANDARD").arn();
            int[] names = {0};
            Runnable journaled = () -> {
                String arn = sfn.startExecution(machine, "j" + names[0]++, input.toString()).executionArn();
                try {
                    sfn.completion(arn).get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("execution " + arn + " did not end", e);
                }
            };
            Runnable bare = () -> ExecutionRunner.run(definition, input, ExecutionOptions.builder()
                    .name("b" + names[0]++).stateMachineName("journal-overhead").invoker(invoker).build());
            runFor(journaled, roundMs); // warmup
            runFor(bare, roundMs);
            double[] journaledUs = new double[rounds];
            double[] bareUs = new double[rounds];
            double[] journaledCpuUs = new double[rounds];
            double[] bareCpuUs = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                double[] j = runFor(journaled, roundMs);
                double[] b = runFor(bare, roundMs);
                journaledUs[r] = j[0];
                journaledCpuUs[r] = j[1];
                bareUs[r] = b[0];
                bareCpuUs[r] = b[1];
                System.out.printf("round %d: journaled service %.1f µs/execution (process CPU %.1f µs),"
                        + " bare engine %.1f µs/execution (CPU %.1f µs)%n", r + 1, j[0], j[1], b[0], b[1]);
            }
            Arrays.sort(journaledUs);
            Arrays.sort(bareUs);
            Arrays.sort(journaledCpuUs);
            Arrays.sort(bareCpuUs);
            System.out.printf("median of %d rounds (%s, fsync %s): journaled %.1f µs (CPU %.1f µs), bare %.1f µs"
                    + " (CPU %.1f µs), %.0fx%n", rounds, Files.getFileStore(dir).type(), fsync, journaledUs[rounds / 2],
                    journaledCpuUs[rounds / 2], bareUs[rounds / 2], bareCpuUs[rounds / 2],
                    journaledUs[rounds / 2] / bareUs[rounds / 2]);
        }
    }

    /** Back-to-back runs for about {@code millis}: microseconds per run and process CPU microseconds per run. */
    private static double[] runFor(Runnable run, long millis) {
        double[] runsPerSecondAndCpuMs = OrchestrationBench.throughput(() -> {
            run.run();
            return null;
        }, millis);
        return new double[] {1e6 / runsPerSecondAndCpuMs[0], runsPerSecondAndCpuMs[1] * 1000};
    }
}
