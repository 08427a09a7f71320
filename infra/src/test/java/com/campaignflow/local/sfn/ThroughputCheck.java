package com.campaignflow.local.sfn;

import com.campaignflow.local.sfn.lambda.InMemoryLambdaInvoker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Manual benchmark (not a unit test): executions/s of a 6-Task sequential machine on N threads. */
public final class ThroughputCheck {

    public static void main(String[] args) throws Exception {
        boolean invokeApi = args.length > 0 && args[0].equals("invoke");
        StringBuilder states = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
            String resource = invokeApi
                    ? "\"Resource\":\"arn:aws:states:::lambda:invoke\",\"Parameters\":{\"FunctionName\":\"echo\",\"Payload.$\":\"$\"},\"OutputPath\":\"$.Payload\""
                    : "\"Resource\":\"arn:aws:lambda:us-east-1:000000000000:function:echo\"";
            states.append(i > 1 ? "," : "").append("\"T").append(i).append("\":{\"Type\":\"Task\",").append(resource)
                    .append(i < 6 ? ",\"Next\":\"T" + (i + 1) + "\"}" : ",\"End\":true}");
        }
        StateMachineDefinition definition = StateMachineDefinition.parse("{\"StartAt\":\"T1\",\"States\":{" + states + "}}");
        InMemoryLambdaInvoker invoker = new InMemoryLambdaInvoker().register("echo", e -> e);
        JsonNode input = new ObjectMapper().readTree("{\"campaign_id\":\"c-1\",\"results\":{\"a\":1}}");
        ExecutionOptions options = ExecutionOptions.builder().name("bench").invoker(invoker).build();
        int threads = Runtime.getRuntime().availableProcessors();
        for (int round = 0; round < 5; round++) {
            AtomicLong count = new AtomicLong();
            AtomicLong cpuNanos = new AtomicLong();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    while (System.nanoTime() < end) {
                        ExecutionRunner.run(definition, input, options);
                        count.incrementAndGet();
                    }
                    cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                });
            }
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
            System.out.printf("round %d: %,d executions/s wall on %d threads; %,d executions per CPU-second%n", round,
                    count.get() / 2, threads, (long) (count.get() / (cpuNanos.get() / 1e9)));
        }
    }
}
