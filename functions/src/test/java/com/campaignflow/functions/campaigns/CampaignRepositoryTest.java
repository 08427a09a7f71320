package com.campaignflow.functions.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.store.local.InMemoryDocumentTable;
import com.campaignflow.functions.testing.Fixtures;
import com.campaignflow.functions.testing.ForwardingDocumentTable;
import com.campaignflow.functions.testing.MutableClock;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignRepositoryTest {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final MutableClock clock = MutableClock.at("2026-11-26T01:00:00Z");
    private final CampaignRepository repository = new CampaignRepository(new InMemoryDocumentTable(), clock);

    private static CampaignRecord withKey(CampaignRecord c, String key, String hash) {
        return new CampaignRecord(c.campaignId(), c.tenant(), c.workflowId(), c.executionArn(), c.status(), c.request(),
                c.planSummary(), c.createdAt(), c.updatedAt(), c.degradationLevel(), c.limitations(), key, hash, 0, 0);
    }

    @Test
    void create_thenGet_roundTripsEveryField() {
        CampaignRecord campaign = Fixtures.campaign("camp-1", 5);

        assertThat(repository.create(campaign)).isInstanceOf(CampaignRepository.CreateOutcome.Created.class);
        CampaignRecord stored = repository.get("camp-1").orElseThrow();

        assertThat(stored.request()).isEqualTo(campaign.request());
        assertThat(stored.planStepCount()).isEqualTo(5);
        assertThat(stored.version()).isEqualTo(1);
        assertThat(repository.create(campaign)).isEqualTo(new CampaignRepository.CreateOutcome.IdTaken("camp-1"));
    }

    @Test
    void create_withIdempotencyKey_replaysSameBodyAndRefusesADifferentOne() {
        repository.create(withKey(Fixtures.campaign("camp-1", 5), "key-1", "hash-a"));

        var replay = repository.create(withKey(Fixtures.campaign("camp-2", 5), "key-1", "hash-a"));
        var conflict = repository.create(withKey(Fixtures.campaign("camp-3", 5), "key-1", "hash-b"));

        assertThat(replay).isInstanceOfSatisfying(CampaignRepository.CreateOutcome.Replayed.class,
                r -> assertThat(r.campaign().campaignId()).isEqualTo("camp-1"));
        assertThat(conflict).isEqualTo(new CampaignRepository.CreateOutcome.KeyReused("camp-1"));
        assertThat(repository.get("camp-2")).isEmpty();
    }

    @Test
    void listByTenant_returnsOnlyThatTenantsCampaigns() {
        repository.create(Fixtures.campaign("camp-1", 5));
        repository.create(Fixtures.campaign("camp-2", 5));
        CampaignRecord other = Fixtures.campaign("camp-3", 5);
        repository.create(new CampaignRecord(other.campaignId(), "acme", other.workflowId(), null, "running",
                other.request(), null, other.createdAt(), other.updatedAt(), "none", List.of(), null, null, 0, 0));

        assertThat(listed("default")).extracting(CampaignRecord::campaignId)
                .containsExactlyInAnyOrder("camp-1", "camp-2");
        assertThat(listed("acme")).extracting(CampaignRecord::campaignId).containsExactly("camp-3");
    }

    private void createdNow(String campaignId) {
        CampaignRecord c = Fixtures.campaign(campaignId, 5);
        repository.create(new CampaignRecord(c.campaignId(), c.tenant(), c.workflowId(), null, c.status(),
                c.request(), c.planSummary(), clock.instant(), clock.instant(), "none", List.of(), null, null, 0, 0));
    }

    private List<CampaignRecord> listed(String tenant) {
        return repository.pageByTenant(tenant, 100, null).campaigns();
    }

    @Test
    void pageByTenant_listsNewestFirst_aPageAtATime_andGoesOnFromWhereThePageEnded() {
        for (int i = 1; i <= 5; i++) {
            createdNow("camp-" + i);
            clock.advance(Duration.ofSeconds(1));
        }

        CampaignRepository.Page first = repository.pageByTenant("default", 2, null);
        CampaignRepository.Page second = repository.pageByTenant("default", 2, first.next().orElseThrow());
        // a campaign created meanwhile shows on a first page, not in the middle of a list being paged through
        createdNow("camp-6");
        CampaignRepository.Page last = repository.pageByTenant("default", 2, second.next().orElseThrow());

        assertThat(first.campaigns()).extracting(CampaignRecord::campaignId).containsExactly("camp-5", "camp-4");
        assertThat(second.campaigns()).extracting(CampaignRecord::campaignId).containsExactly("camp-3", "camp-2");
        assertThat(last.campaigns()).extracting(CampaignRecord::campaignId).containsExactly("camp-1");
        assertThat(last.next()).isEmpty();
        assertThat(repository.pageByTenant("default", 5, null).next()).isPresent();
        assertThat(repository.pageByTenant("default", 6, null).next()).isEmpty();
    }

    @Test
    void pageByTenant_ordersByTime_alsoWithinOneSecond() {
        createdNow("camp-on-the-second"); // 01:00:00Z: Instant.toString writes no fraction
        clock.advance(Duration.ofMillis(500));
        createdNow("camp-half-a-second-later");

        assertThat(listed("default")).extracting(CampaignRecord::campaignId)
                .containsExactly("camp-half-a-second-later", "camp-on-the-second");
    }

    @Test
    void aCampaignIndexedByAnEarlierVersion_isListedOnce_alsoAfterAReplayIndexesItAgain() {
        InMemoryDocumentTable table = new InMemoryDocumentTable();
        CampaignRepository repository = new CampaignRepository(table, clock);
        CampaignRecord old = Fixtures.campaign("camp-old", 5);
        repository.create(old);
        // the index item as versions before fixed-width times wrote it
        table.delete("tenant#default", CampaignRepository.position(old));
        table.put(JSON.createObjectNode().put("pk", "tenant#default").put("sk", old.createdAt() + "#camp-old")
                .put("campaign_id", "camp-old"));

        repository.ensureIndexed(repository.get("camp-old").orElseThrow());

        assertThat(repository.pageByTenant("default", 10, null).campaigns()).extracting(CampaignRecord::campaignId)
                .containsExactly("camp-old");
        assertThat(repository.findByWorkflow("default", old.workflowId())).isPresent();
    }

    @Test
    void findByWorkflow_findsTheTenantsCampaign_readingOnlyIt() {
        for (int i = 1; i <= 5; i++) {
            repository.create(Fixtures.campaign("camp-" + i, 5));
        }
        String workflowId = repository.get("camp-3").orElseThrow().workflowId();

        assertThat(repository.findByWorkflow("default", workflowId)).map(CampaignRecord::campaignId)
                .contains("camp-3");
        assertThat(repository.findByWorkflow("acme", workflowId)).isEmpty();
        assertThat(repository.findByWorkflow("default", "wf-000000000000000000000000")).isEmpty();
    }

    @Test
    void aCreateStoppedBetweenItsWrites_leavesNoCampaignItsTenantCannotList_andARetryListsItOnce() {
        InMemoryDocumentTable table = new InMemoryDocumentTable();
        CampaignRepository stopsBeforeTheCampaign = new CampaignRepository(new StopsAfterOneWrite(table), clock);
        CampaignRepository repository = new CampaignRepository(table, clock);

        assertThatThrownBy(() -> stopsBeforeTheCampaign.create(Fixtures.campaign("camp-1", 5)))
                .hasMessage("process killed");
        // whatever the stop left stored, its tenant can list (and so find, resume and redrive)
        assertThat(repository.pageByTenant("default", 100, null).campaigns()).extracting(CampaignRecord::campaignId)
                .containsExactlyElementsOf(repository.get("camp-1").map(CampaignRecord::campaignId).stream().toList());

        clock.advance(Duration.ofSeconds(3));
        CampaignRecord retried = Fixtures.campaign("camp-1", 5);
        repository.create(new CampaignRecord(retried.campaignId(), retried.tenant(), retried.workflowId(), null,
                retried.status(), retried.request(), retried.planSummary(), clock.instant(), clock.instant(), "none",
                List.of(), null, null, 0, 0));
        assertThat(repository.pageByTenant("default", 100, null).campaigns()).extracting(CampaignRecord::campaignId).containsExactly("camp-1");
    }

    @Test
    void anIndexItemOfAnIdAnotherTenantTook_listsNothingForItsTenant() {
        repository.create(Fixtures.campaign("camp-1", 5));
        CampaignRecord other = Fixtures.campaign("camp-1", 5);

        var outcome = repository.create(new CampaignRecord(other.campaignId(), "acme", other.workflowId(), null,
                "running", other.request(), null, other.createdAt(), other.updatedAt(), "none", List.of(), null, null, 0, 0));

        assertThat(outcome).isEqualTo(new CampaignRepository.CreateOutcome.IdTaken("camp-1"));
        assertThat(listed("acme")).isEmpty();
        assertThat(listed("default")).extracting(CampaignRecord::campaignId).containsExactly("camp-1");
    }

    @Test
    void update_ofUnknownCampaign_andInvalidIds_areRefused() {
        assertThatThrownBy(() -> repository.update("camp-x", c -> c)).isInstanceOf(CampaignNotFoundException.class);
        assertThatThrownBy(() -> repository.get("../etc")).hasMessageContaining("campaign id must match");
    }

    /** The table as a process killed after its first write leaves it: that write landed, none after it. */
    private static final class StopsAfterOneWrite extends ForwardingDocumentTable {
        private int writes;

        StopsAfterOneWrite(DocumentTable table) {
            super(table);
        }

        private void write() {
            if (++writes > 1) {
                throw new IllegalStateException("process killed");
            }
        }

        @Override
        public void put(ObjectNode item) {
            write();
            super.put(item);
        }

        @Override
        public boolean putIfAbsent(ObjectNode item) {
            write();
            return super.putIfAbsent(item);
        }

        @Override
        public boolean putIfVersion(ObjectNode item, long expectedVersion) {
            write();
            return super.putIfVersion(item, expectedVersion);
        }

        @Override
        public void delete(String pk, String sk) {
            write();
            super.delete(pk, sk);
        }
    }
}
