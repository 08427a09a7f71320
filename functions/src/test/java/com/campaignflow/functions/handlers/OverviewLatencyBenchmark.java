package com.campaignflow.functions.handlers;

import com.campaignflow.functions.ports.WorkflowEngine.Status;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;

/**
 * What a page of {@code GET /campaigns} costs when every store call is a round trip: the API over
 * {@link ApiTestbed}'s stores, each call made to wait a set latency, for a page of 50 campaigns (each with two
 * checkpoints, half of them finished). Compared in the same run with the waiting alone of the page's store calls made
 * one after another, which is what looking the campaigns up in order costs at least.
 *
 * <pre>
 * java -cp &lt;functions test classpath&gt; com.campaignflow.functions.handlers.OverviewLatencyBenchmark [LATENCY_MS...]
 * </pre>
 */
public final class OverviewLatencyBenchmark {

    private static final int CAMPAIGNS = 50;
    private static final int PAGES = 15;

    private OverviewLatencyBenchmark() {
    }

    public static void main(String[] args) {
        List<Long> latencies = args.length == 0 ? List.of(5L, 20L) : Arrays.stream(args).map(Long::parseLong).toList();
        for (long latency : latencies) {
            ApiTestbed bed = new ApiTestbed();
            for (int i = 0; i < CAMPAIGNS; i++) {
                JsonNode campaign = bed.create(String.format("camp-%03d", i), ApiTestbed.NORTHWIND_KEY);
                bed.checkpoint(campaign, "planner", List.of("planner"), 20);
                bed.checkpoint(campaign, "researcher", List.of("planner", "researcher"), 40);
                if (i % 2 == 0) {
                    bed.engine.finish(campaign.path("workflow_execution_id").asText(), Status.SUCCEEDED, null, null);
                }
            }
            bed.storeLatencyMillis = latency;
            page(bed); // warm-up
            bed.storeCalls.clear();
            double[] millis = new double[PAGES];
            for (int p = 0; p < PAGES; p++) {
                long start = System.nanoTime();
                page(bed);
                millis[p] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(millis);
            double callsPerPage = bed.storeCalls.values().stream().mapToInt(Integer::intValue).sum() / (double) PAGES;
            double inOrder = callsPerPage * latency;
            System.out.printf("store latency %d ms: page of %d campaigns, median %.0f ms (min %.0f, max %.0f);"
                    + " %.0f store calls per page, whose waiting alone in order is %.0f ms: %.1fx%n", latency, CAMPAIGNS,
                    millis[PAGES / 2], millis[0], millis[PAGES - 1], callsPerPage, inOrder, inOrder / millis[PAGES / 2]);
            System.out.println("  store calls of " + PAGES + " pages: " + new java.util.TreeMap<>(bed.storeCalls));
        }
    }

    private static void page(ApiTestbed bed) {
        var event = ApiTestbed.request("GET", "/campaigns", null, ApiTestbed.NORTHWIND_KEY);
        event.setQueryStringParameters(java.util.Map.of("limit", String.valueOf(CAMPAIGNS)));
        var response = bed.call(event);
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("GET /campaigns answered " + response.getStatusCode() + ": " + response.getBody());
        }
    }
}
