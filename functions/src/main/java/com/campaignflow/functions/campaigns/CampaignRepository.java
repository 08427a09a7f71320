package com.campaignflow.functions.campaigns;

import com.campaignflow.functions.config.SideBySide;
import com.campaignflow.functions.domain.DegradationLevel;
import com.campaignflow.functions.health.ConcurrentUpdateException;
import com.campaignflow.functions.ports.DocumentTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Campaigns in the Campaigns table. The campaign item is pk = campaign id, sk = {@code campaign}; a small index
 * item per tenant (pk = {@code tenant#<tenant>}, sk = {@code <created_at>#<campaign id>}) makes listing a tenant's
 * campaigns one Query, and an idempotency item (pk = {@code idempotency#<tenant>}, sk = key) maps a client's
 * Idempotency-Key to the campaign it created. Updates are conditional on the version (no lost updates).
 */
public final class CampaignRepository {

    static final String CAMPAIGN_SK = "campaign";
    private static final String TENANT_PK = "tenant#";
    private static final DateTimeFormatter POSITION_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CAMPAIGN_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_ATTEMPTS = 1000;

    /** The outcome of {@link #create}. */
    public sealed interface CreateOutcome {
        /** Stored; the record as stored (version 1). */
        record Created(CampaignRecord campaign) implements CreateOutcome {
        }

        /** The idempotency key was used before with the same body: the campaign created then. */
        record Replayed(CampaignRecord campaign) implements CreateOutcome {
        }

        /** The idempotency key was used before with a different body (HTTP 422/409). */
        record KeyReused(String existingCampaignId) implements CreateOutcome {
        }

        /** A campaign with this id exists already (HTTP 409). */
        record IdTaken(String campaignId) implements CreateOutcome {
        }
    }

    private final DocumentTable table;
    private final Clock clock;

    public CampaignRepository(DocumentTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** Throws IllegalArgumentException unless the id matches {@code [A-Za-z0-9_-]{1,64}}. */
    public static String validateCampaignId(String campaignId) {
        if (campaignId == null || !CAMPAIGN_ID.matcher(campaignId).matches()) {
            throw new IllegalArgumentException("campaign id must match [A-Za-z0-9_-]{1,64}: '" + campaignId + "'");
        }
        return campaignId;
    }

    public Optional<CampaignRecord> get(String campaignId) {
        return table.get(validateCampaignId(campaignId), CAMPAIGN_SK).map(CampaignRecord::fromItem);
    }

    /** The campaign an idempotency key of the tenant was first used for, and that request's body hash. */
    public record KeyBinding(String campaignId, String bodyHash) {
    }

    public Optional<KeyBinding> keyBinding(String tenant, String idempotencyKey) {
        return table.get("idempotency#" + tenant, idempotencyKey)
                .map(k -> new KeyBinding(k.path("campaign_id").asText(), k.path("body_hash").asText()));
    }

    /** Binds an unused idempotency key to a campaign (a key already bound keeps its campaign). */
    public void bindKey(String tenant, String idempotencyKey, String campaignId, String bodyHash) {
        ObjectNode key = JSON.createObjectNode();
        key.put("pk", "idempotency#" + tenant);
        key.put("sk", idempotencyKey);
        key.put("campaign_id", campaignId);
        key.put("body_hash", bodyHash);
        table.putIfAbsent(key);
    }

    public CreateOutcome create(CampaignRecord campaign) {
        validateCampaignId(campaign.campaignId());
        if (campaign.idempotencyKey() != null) {
            ObjectNode key = JSON.createObjectNode();
            key.put("pk", "idempotency#" + campaign.tenant());
            key.put("sk", campaign.idempotencyKey());
            key.put("campaign_id", campaign.campaignId());
            key.put("body_hash", campaign.bodyHash());
            if (!table.putIfAbsent(key)) {
                KeyBinding existing = keyBinding(campaign.tenant(), campaign.idempotencyKey()).orElseThrow();
                String existingId = existing.campaignId();
                if (!existing.bodyHash().equals(String.valueOf(campaign.bodyHash()))) {
                    return new CreateOutcome.KeyReused(existingId);
                }
                Optional<CampaignRecord> stored = get(existingId);
                if (stored.isPresent()) {
                    return new CreateOutcome.Replayed(stored.get());
                }
                // the first request died between the key and the campaign: this one completes it
            }
        }
        // The tenant's index item first: a process stopped between the two writes leaves an index item naming no
        // campaign of the tenant (skipped by listByTenant), never a campaign its tenant cannot list or recover.
        putIndex(campaign);
        CampaignRecord toStore = campaign.stored(campaign.createdAt(), 0);
        if (!table.putIfAbsent(toStore.toItem())) {
            return new CreateOutcome.IdTaken(campaign.campaignId());
        }
        return new CreateOutcome.Created(get(campaign.campaignId()).orElseThrow());
    }

    /**
     * Writes the tenant's index item of a stored campaign (the same item again when it is there): repairs a campaign
     * stored before its index item by a version that wrote them the other way round and stopped between the two.
     */
    public void ensureIndexed(CampaignRecord campaign) {
        putIndex(campaign);
    }

    private void putIndex(CampaignRecord campaign) {
        if (table.get(TENANT_PK + campaign.tenant(), legacyPosition(campaign)).isPresent()) {
            return; // indexed by an earlier version, in its form: a second item would list the campaign twice
        }
        ObjectNode index = JSON.createObjectNode();
        index.put("pk", TENANT_PK + campaign.tenant());
        index.put("sk", position(campaign));
        index.put("campaign_id", campaign.campaignId());
        index.put("workflow_id", campaign.workflowId());
        table.put(index);
    }

    /** Applies {@code change} to the stored campaign with a conditional write, retrying on concurrent updates. */
    public CampaignRecord update(String campaignId, UnaryOperator<CampaignRecord> change) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            CampaignRecord current = get(campaignId)
                    .orElseThrow(() -> new CampaignNotFoundException(campaignId));
            CampaignRecord next = change.apply(current).stored(clock.instant(), current.version());
            if (!next.campaignId().equals(campaignId)) {
                throw new IllegalArgumentException("an update cannot change the campaign id");
            }
            if (table.putIfVersion(next.toItem(), current.version())) {
                return next.stored(next.updatedAt(), current.version() + 1);
            }
        }
        throw new ConcurrentUpdateException("campaign " + campaignId + " kept changing; gave up after " + MAX_ATTEMPTS + " attempts");
    }

    /**
     * Applies {@code change} to the campaign as {@code read}, only if the stored record is still that version: empty
     * when another write came first (no retry; the caller decides what that means).
     */
    public Optional<CampaignRecord> updateIfUnchanged(CampaignRecord read, UnaryOperator<CampaignRecord> change) {
        CampaignRecord next = change.apply(read).stored(clock.instant(), read.version());
        if (!next.campaignId().equals(read.campaignId())) {
            throw new IllegalArgumentException("an update cannot change the campaign id");
        }
        if (!table.putIfVersion(next.toItem(), read.version())) {
            return Optional.empty();
        }
        return Optional.of(next.stored(next.updatedAt(), read.version() + 1));
    }

    /**
     * Tells the user of a degradation: adds the limitation {@code subject + what} unless one about that subject
     * ("step: agent ") is there already, and raises the degradation level to at least minimal.
     */
    public CampaignRecord recordDegradation(String campaignId, String subject, String what) {
        return degrade(campaignId, subject, what, false);
    }

    /**
     * As {@link #recordDegradation}, replacing the limitation about {@code subject} when there is one: what was
     * said of it turned out otherwise (a fallback recorded as the replacement failed as well).
     */
    public CampaignRecord reviseDegradation(String campaignId, String subject, String what) {
        return degrade(campaignId, subject, what, true);
    }

    private CampaignRecord degrade(String campaignId, String subject, String what, boolean revise) {
        return update(campaignId, c -> {
            List<String> limitations = new ArrayList<>(c.limitations());
            if (revise) {
                limitations.removeIf(l -> l.startsWith(subject));
            }
            if (limitations.stream().noneMatch(l -> l.startsWith(subject))) {
                limitations.add(subject + what);
            }
            DegradationLevel level = DegradationLevel.fromWireName(c.degradationLevel() == null ? "none" : c.degradationLevel());
            return c.withDegradation(level.compareTo(DegradationLevel.MINIMAL) < 0 ? DegradationLevel.MINIMAL.wireName()
                    : level.wireName(), limitations);
        });
    }

    /**
     * A step's degradation undone by a successful run of its own agent (a resume or rerun): its limitation goes, and
     * with no limitation left beyond the plan's, the level goes back to the plan's, so the progress messages that
     * follow say what the result says.
     */
    public CampaignRecord undoDegradation(String campaignId, String stepId) {
        return update(campaignId, c -> {
            List<String> limitations = c.limitations().stream().filter(l -> !l.startsWith(stepId + ": ")).toList();
            if (limitations.size() == c.limitations().size() || c.planSummary() == null) {
                return c;
            }
            List<String> planned = new ArrayList<>();
            c.planSummary().path("limitations").forEach(l -> planned.add(l.asText()));
            String level = planned.containsAll(limitations)
                    ? c.planSummary().path("degradation_level").asText(c.degradationLevel()) : c.degradationLevel();
            return c.withDegradation(level, limitations);
        });
    }

    /** A page of a tenant's campaigns and, when there are more, the position the next page starts from. */
    public record Page(List<CampaignRecord> campaigns, Optional<String> next) {
    }

    /**
     * The tenant's campaigns, newest first, at most {@code limit} of them starting after {@code after} (the position
     * a previous page returned; null for the first page). Only the page's campaigns are read. An index item whose
     * campaign was never stored, is another tenant's (the id was taken when the create came to store it), or is not
     * the stored campaign's (two creates of the same campaign raced: each indexed it under its own time) names none
     * of the tenant's.
     */
    public Page pageByTenant(String tenant, int limit, String after) {
        List<ObjectNode> index = table.query(TENANT_PK + tenant).reversed().stream()
                .filter(item -> after == null || item.path("sk").asText().compareTo(after) < 0).toList();
        List<CampaignRecord> page = new ArrayList<>();
        String last = null;
        int read = 0;
        while (read < index.size()) {
            // as many campaigns as the page still needs, plus one to know whether a next page follows, read side by
            // side; more only when some index items name none
            List<ObjectNode> batch = index.subList(read, Math.min(index.size(), read + limit + 1 - page.size()));
            List<Optional<CampaignRecord>> campaigns = SideBySide.map(batch, SideBySide.STORE_CALLS_AT_ONCE,
                    item -> ownCampaign(tenant, item));
            for (int i = 0; i < batch.size(); i++) {
                Optional<CampaignRecord> campaign = campaigns.get(i);
                if (campaign.isPresent() && page.size() == limit) {
                    // a campaign follows (not just an index item naming none): the next page is not empty
                    return new Page(page, Optional.of(last));
                }
                if (campaign.isPresent()) {
                    page.add(campaign.get());
                    last = batch.get(i).path("sk").asText();
                }
            }
            read += batch.size();
        }
        return new Page(page, Optional.empty());
    }

    /**
     * A campaign's position in its tenant's index: creation time with all nine fraction digits, so that the index's
     * string order is the time order ({@link java.time.Instant#toString} leaves out trailing zeros, and "34Z" sorts
     * after "34.5Z"), then the id.
     */
    static String position(CampaignRecord campaign) {
        return POSITION_TIME.format(campaign.createdAt()) + "#" + campaign.campaignId();
    }

    /** The position as versions before {@link #position} wrote it (still read: those items are not rewritten). */
    private static String legacyPosition(CampaignRecord campaign) {
        return campaign.createdAt() + "#" + campaign.campaignId();
    }

    /**
     * The tenant's campaign of a workflow: found in the tenant's index (which names each campaign's workflow), reading
     * that campaign only (and campaigns indexed before the index named workflows).
     */
    public Optional<CampaignRecord> findByWorkflow(String tenant, String workflowId) {
        for (ObjectNode item : table.query(TENANT_PK + tenant)) {
            String indexed = item.path("workflow_id").asText(null);
            if (indexed == null || indexed.equals(workflowId)) {
                Optional<CampaignRecord> campaign = ownCampaign(tenant, item)
                        .filter(c -> workflowId.equals(c.workflowId()));
                if (campaign.isPresent()) {
                    return campaign;
                }
            }
        }
        return Optional.empty();
    }

    /** The campaign an index item of the tenant names, if it is the tenant's and the item is the one it was stored with. */
    private Optional<CampaignRecord> ownCampaign(String tenant, ObjectNode indexItem) {
        return get(indexItem.path("campaign_id").asText())
                .filter(c -> tenant.equals(c.tenant()) && (position(c).equals(indexItem.path("sk").asText())
                        || legacyPosition(c).equals(indexItem.path("sk").asText())));
    }
}
