package com.campaignflow.functions.health;

import com.campaignflow.functions.domain.Text;
import com.campaignflow.functions.domain.HealthStatus;
import com.campaignflow.functions.domain.ServiceHealth;
import com.campaignflow.functions.domain.Timestamps;
import com.campaignflow.functions.faults.Sleeper;
import com.campaignflow.functions.ports.DocumentTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Health of agents and dependencies in the ServiceHealth table (item pk = {@code service_health}, sk = service
 * name), updated through the {@link CircuitBreaker} with conditional writes, and degradation events (pk =
 * {@code campaign#<id>}, sk = {@code degradation#<workflow>#<step>#<agent>}) in the same table. All health items
 * share one partition so that the snapshot every new campaign is planned from is one Query, whatever the number
 * of degradation events the table has gathered.
 */
public final class HealthService {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The service name of the checkpoint store's circuit (S3, or the data directory locally). */
    public static final String CHECKPOINT_STORE = "checkpoint_store";
    private static final String HEALTH_PK = "service_health";
    private static final String EVENT_PK = "campaign#";
    private static final String EVENT_SK = "degradation#";
    private static final int MAX_ATTEMPTS = 1000;
    /** How long the one caller let through a half-open circuit has to report before another is let through. */
    static final Duration PROBE_LEASE = Duration.ofSeconds(60);
    /** How often a caller waiting on another caller's probe of a half-open circuit reads its outcome. */
    static final Duration PROBE_POLL = Duration.ofMillis(250);

    private final DocumentTable table;
    private final CircuitBreaker breaker;
    private final Clock clock;

    public HealthService(DocumentTable table, CircuitBreaker breaker, Clock clock) {
        this.table = table;
        this.breaker = breaker;
        this.clock = clock;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** The stored health, or healthy with no failures for a service never seen. */
    public ServiceHealth get(String serviceName) {
        return table.get(HEALTH_PK, serviceName).map(HealthService::toHealth)
                .orElseGet(() -> CircuitBreaker.initial(serviceName, clock.instant()));
    }

    /**
     * Whether a request may go to the service now. Closed: yes. Open: no. Half-open (the recovery time has passed):
     * only the caller that claims the probe, a conditional write of {@code probe_until} on the record; others are
     * refused until the probe reports (its success or failure rewrites the record) or its lease runs out.
     */
    public boolean isAvailable(String serviceName) {
        return isAvailable(serviceName, Duration.ZERO);
    }

    /**
     * As {@link #isAvailable(String)}, with an open circuit whose recovery time comes within {@code dueWithin} taken
     * as half-open (the scheduled health check: see {@link HealthChecker#DUE_WITHIN}).
     */
    public boolean isAvailable(String serviceName, Duration dueWithin) {
        Optional<ObjectNode> stored = table.get(HEALTH_PK, serviceName);
        ServiceHealth current = stored.map(HealthService::toHealth)
                .orElseGet(() -> CircuitBreaker.initial(serviceName, clock.instant()));
        Instant now = clock.instant();
        return switch (breaker.state(current, now.plus(dueWithin))) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> stored.isPresent() && claimProbe(stored.get(), current, now);
        };
    }

    /**
     * As {@link #isAvailable(String)}; when the circuit is half-open and another caller holds its probe, waits for
     * that probe's outcome (reading it every {@link #PROBE_POLL}, at most {@code maxWait}): true once the probe closed
     * the circuit, false when it opened it again or is still running. Campaigns admitted while a circuit was half-open
     * thus run once their agent is back, instead of failing at once beside the one that probed.
     */
    public boolean awaitAvailable(String serviceName, Duration maxWait, Sleeper sleeper) {
        long polls = maxWait.toMillis() / PROBE_POLL.toMillis();
        for (long poll = 0; ; poll++) {
            if (isAvailable(serviceName)) {
                return true;
            }
            if (poll >= polls || !probeInFlight(serviceName)) {
                return false;
            }
            try {
                sleeper.sleep(PROBE_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Whether the service's circuit is half-open with another caller's probe running (its lease not expired). */
    public boolean probeInFlight(String serviceName) {
        Optional<ObjectNode> stored = table.get(HEALTH_PK, serviceName);
        if (stored.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        JsonNode until = stored.get().get("probe_until");
        return breaker.state(toHealth(stored.get()), now) == CircuitBreaker.State.HALF_OPEN
                && until != null && until.isTextual() && now.isBefore(Timestamps.parse(until.asText()));
    }

    private boolean claimProbe(ObjectNode stored, ServiceHealth current, Instant now) {
        JsonNode until = stored.get("probe_until");
        if (until != null && until.isTextual() && now.isBefore(Timestamps.parse(until.asText()))) {
            return false; // another caller is probing
        }
        ObjectNode claimed = toItem(current, stored.path("last_error").asText(null));
        claimed.put("probe_until", now.plus(PROBE_LEASE).toString());
        return table.putIfVersion(claimed, current.version());
    }

    /**
     * A success closes the circuit. When the service is already healthy with no failures, or has no record yet (never
     * checked nor failed: healthy), there is nothing to change, so nothing is written: the hot path of every agent run
     * costs one read, not a conditional write, and last_check stays the time of the health check's last probe.
     */
    public ServiceHealth recordSuccess(String serviceName) {
        if (serviceName == null || serviceName.isBlank()) {
            throw new IllegalArgumentException("service name must not be empty");
        }
        Optional<ServiceHealth> stored = table.get(HEALTH_PK, serviceName).map(HealthService::toHealth);
        if (stored.isEmpty()) {
            return new ServiceHealth(serviceName, HealthStatus.HEALTHY, 0, null, null, 0);
        }
        if (stored.get().healthStatus() == HealthStatus.HEALTHY && stored.get().failureCount() == 0
                && stored.get().recoveryTime() == null) {
            return stored.get();
        }
        return update(serviceName, h -> breaker.onSuccess(h, clock.instant()), null);
    }

    /**
     * A health check's passed probe: as {@link #recordSuccess}, and the service's last_check is written even when
     * nothing else changes, so a monitor sees the checks running (about one write per service per check).
     */
    public ServiceHealth recordCheckPassed(String serviceName) {
        return update(serviceName, h -> breaker.onSuccess(h, clock.instant()), null);
    }

    public ServiceHealth recordFailure(String serviceName, String reason) {
        return update(serviceName, h -> breaker.onFailure(h, clock.instant()), reason);
    }

    /** Every service's health by name. */
    public Map<String, ServiceHealth> snapshot() {
        Map<String, ServiceHealth> all = new TreeMap<>();
        Instant now = clock.instant();
        for (ObjectNode item : table.query(HEALTH_PK)) {
            ServiceHealth h = withProbeOut(toHealth(item), item, now);
            all.put(h.serviceName(), h);
        }
        return all;
    }

    /**
     * An open circuit whose recovery time has passed lets one probe through; while that probe is out (its lease,
     * {@code probe_until}, has not run out) every other caller is refused until the lease ends, so that is when the
     * service can next be used: the snapshot planning reads says so, and a campaign needing it is refused up front
     * with that Retry-After instead of being started to fail at that step.
     */
    private static ServiceHealth withProbeOut(ServiceHealth h, ObjectNode item, Instant now) {
        JsonNode until = item.get("probe_until");
        if (h.healthStatus() != HealthStatus.UNAVAILABLE || until == null || !until.isTextual()) {
            return h;
        }
        Instant leaseEnd = Timestamps.parse(until.asText());
        if (!now.isBefore(leaseEnd) || (h.recoveryTime() != null && !h.recoveryTime().isBefore(leaseEnd))) {
            return h;
        }
        return new ServiceHealth(h.serviceName(), h.healthStatus(), h.failureCount(), h.lastCheck(), leaseEnd,
                h.version());
    }

    public void recordDegradation(DegradationEvent event) {
        ObjectNode item = JSON.createObjectNode();
        item.put("pk", EVENT_PK + event.campaignId());
        // Keyed by workflow, step, agent and outcome, and overwritten: a retried fallback Lambda records the same event,
        // not a second one, and a replacement that happens again (a redrive or resume after its fallback failed) is
        // the step's latest event again. A skip and a failed replacement have keys of their own.
        String outcome = switch (event.replacedBy()) {
            case DegradationEvent.SKIPPED -> "#skipped";
            case DegradationEvent.NOT_REPLACED -> "#not-replaced";
            default -> "";
        };
        item.put("sk", EVENT_SK + event.workflowId() + "#" + event.stepId() + "#" + event.agent() + outcome);
        item.put("campaign_id", event.campaignId());
        item.put("workflow_id", event.workflowId());
        item.put("step_id", event.stepId());
        item.put("agent", event.agent());
        item.put("replaced_by", event.replacedBy());
        item.put("reason", event.reason());
        item.put("at", event.at().toString());
        table.put(item);
    }

    /** The campaign's degradation events, oldest first. */
    public List<DegradationEvent> degradationEvents(String campaignId) {
        return table.query(EVENT_PK + campaignId).stream()
                .filter(i -> i.path("sk").asText().startsWith(EVENT_SK))
                .map(HealthService::toEvent)
                .sorted(Comparator.comparing(DegradationEvent::at))
                .toList();
    }

    private ServiceHealth update(String serviceName, UnaryOperator<ServiceHealth> change, String reason) {
        if (serviceName == null || serviceName.isBlank()) {
            throw new IllegalArgumentException("service name must not be empty");
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<ObjectNode> stored = table.get(HEALTH_PK, serviceName);
            ServiceHealth current = stored.map(HealthService::toHealth)
                    .orElseGet(() -> CircuitBreaker.initial(serviceName, clock.instant()));
            ServiceHealth next = change.apply(current);
            ObjectNode item = toItem(next, reason != null ? reason
                    : next.healthStatus() == HealthStatus.HEALTHY ? null
                    : stored.map(s -> s.path("last_error").asText(null)).orElse(null));
            boolean written = stored.isPresent() ? table.putIfVersion(item, current.version()) : table.putIfAbsent(item);
            if (written) {
                return table.get(HEALTH_PK, serviceName).map(HealthService::toHealth).orElse(next);
            }
        }
        throw new ConcurrentUpdateException("health of " + serviceName + " kept changing; gave up after "
                + MAX_ATTEMPTS + " attempts");
    }

    private static ObjectNode toItem(ServiceHealth h, String lastError) {
        ObjectNode item = JSON.createObjectNode();
        item.put("pk", HEALTH_PK);
        item.put("sk", h.serviceName());
        item.put("service_name", h.serviceName());
        item.put("health_status", h.healthStatus().wireName());
        item.put("failure_count", h.failureCount());
        item.put("last_check", h.lastCheck().toString());
        if (h.recoveryTime() != null) {
            item.put("recovery_time", h.recoveryTime().toString());
        } else {
            item.putNull("recovery_time");
        }
        if (lastError != null) {
            item.put("last_error", Text.prefix(lastError, 500));
        }
        return item;
    }

    private static ServiceHealth toHealth(JsonNode item) {
        JsonNode recovery = item.path("recovery_time");
        return new ServiceHealth(item.path("service_name").asText(), HealthStatus.fromWireName(item.path("health_status").asText()),
                item.path("failure_count").asInt(), Timestamps.parse(item.path("last_check").asText()),
                recovery.isTextual() ? Timestamps.parse(recovery.asText()) : null, item.path("version").asLong());
    }

    private static DegradationEvent toEvent(JsonNode i) {
        return new DegradationEvent(i.path("campaign_id").asText(), i.path("workflow_id").asText(null),
                i.path("step_id").asText(null), i.path("agent").asText(), i.path("replaced_by").asText(),
                i.path("reason").asText(""), Timestamps.parse(i.path("at").asText()));
    }
}
