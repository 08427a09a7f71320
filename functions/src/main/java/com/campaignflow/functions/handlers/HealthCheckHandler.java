package com.campaignflow.functions.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.campaignflow.functions.health.HealthChecker;
import com.campaignflow.functions.health.ProbeResult;
import com.campaignflow.functions.runtime.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * Scheduled every minute (EventBridge): probes agents and dependencies and updates ServiceHealth, closing the
 * circuits of services that recovered. The scheduled event carries nothing we need; the output is a report.
 */
public final class HealthCheckHandler implements RequestStreamHandler {

    private final HealthChecker checker;
    private final Clock clock;

    public HealthCheckHandler() {
        this(Services.fromEnvironment());
    }

    public HealthCheckHandler(Services services) {
        this.checker = services.healthChecker();
        this.clock = services.clock();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        ObjectNode report = Json.MAPPER.createObjectNode();
        report.put("checked_at", clock.instant().toString());
        ArrayNode services = report.putArray("services");
        for (ProbeResult r : checker.check()) {
            ObjectNode s = services.addObject();
            s.put("service_name", r.service());
            s.put("probe", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
            s.put("detail", r.detail());
            s.put("health_status", r.health().healthStatus().wireName());
            s.put("failure_count", r.health().failureCount());
            s.put("recovery_time", r.health().recoveryTime() == null ? null : r.health().recoveryTime().toString());
        }
        Json.MAPPER.writeValue(output, report);
    }
}
