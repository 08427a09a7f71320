package com.campaignflow.functions.handlers;

import static com.campaignflow.functions.handlers.ApiTestbed.NORTHWIND_KEY;
import static com.campaignflow.functions.handlers.ApiTestbed.GLOBEX_KEY;
import static com.campaignflow.functions.handlers.ApiTestbed.campaignBody;
import static com.campaignflow.functions.handlers.ApiTestbed.json;
import static com.campaignflow.functions.handlers.ApiTestbed.request;
import static com.campaignflow.functions.handlers.ApiTestbed.withHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.campaignflow.functions.api.ApiKeys;
import com.campaignflow.functions.checkpoints.CheckpointEntry;
import com.campaignflow.functions.checkpoints.CheckpointStatus;
import com.campaignflow.functions.checkpoints.CheckpointType;
import com.campaignflow.functions.checkpoints.NewCheckpoint;
import com.campaignflow.functions.checkpoints.StateData;
import com.campaignflow.functions.domain.AgentPerformance;
import com.campaignflow.functions.health.DegradationEvent;
import com.campaignflow.functions.ports.WorkflowEngine;
import com.campaignflow.functions.testing.Concurrently;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiHandlerTest {

    private ApiTestbed bed;

    @BeforeEach
    void setUp() {
        bed = new ApiTestbed();
    }

    private static void assertError(APIGatewayProxyResponseEvent response, int status, String code) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(response.getBody()).doesNotContain("\tat ", "Exception");
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json; charset=utf-8");
    }

    @Test
    void withADashboardOrigin_theApisOwnHeadersAreReadableByItsScripts() {
        ApiHandler cors = new ApiHandler(new ApiServices(bed.services, bed.campaigns,
                ApiKeys.parse("northwind=" + NORTHWIND_KEY), () -> null, "https://dashboard.example"));

        APIGatewayProxyResponseEvent response = cors.handleRequest(
                request("GET", "/campaigns/nope", null, NORTHWIND_KEY), null);

        assertThat(response.getHeaders()).containsEntry("Access-Control-Allow-Origin", "https://dashboard.example")
                .containsEntry("Access-Control-Expose-Headers", "Retry-After, Location, Idempotent-Replayed, X-Request-Id,"
                        + " Allow");
    }

    @Nested
    class CreateCampaign {

        @Test
        void sampleEvent_isAcceptedForTheAuthorizersTenantAndStartsOneExecution() {
            APIGatewayProxyRequestEvent event = ApiTestbed.event("api-create-campaign.json", APIGatewayProxyRequestEvent.class);

            APIGatewayProxyResponseEvent response = bed.call(event);

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
            JsonNode body = json(response);
            assertThat(body.path("campaign_id").asText()).isEqualTo("camp-spring-launch-2026");
            assertThat(body.path("workflow_id").asText()).startsWith("wf-");
            assertThat(body.path("workflow_execution_id").asText()).contains(body.path("workflow_id").asText());
            assertThat(body.path("status").asText()).isEqualTo("running");
            assertThat(body.path("degradation_level").asText()).isEqualTo("none");
            assertThat(body.path("limitations").isArray()).isTrue();
            assertThat(body.path("replayed").asBoolean()).isFalse();
            // the sample was called through stage prod (requestContext.path): the client's URL of the campaign has it
            assertThat(response.getHeaders()).containsEntry("Location", "/prod/campaigns/camp-spring-launch-2026")
                    .containsEntry("X-Request-Id", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
            assertThat(bed.engine.starts()).singleElement()
                    .satisfies(s -> assertThat(s.input()).contains("\"tenant\":\"northwind\""));
        }

        @Test
        void sameBodyTwice_returnsTheSameCampaignWithoutStartingAgain() {
            JsonNode first = bed.create("camp-1", NORTHWIND_KEY);
            APIGatewayProxyResponseEvent again = bed.call("POST", "/campaigns", campaignBody("camp-1"), NORTHWIND_KEY);

            assertThat(again.getStatusCode()).isEqualTo(202);
            assertThat(json(again).path("workflow_execution_id")).isEqualTo(first.path("workflow_execution_id"));
            assertThat(json(again).path("replayed").asBoolean()).isTrue();
            assertThat(again.getHeaders()).containsEntry("Idempotent-Replayed", "true");
            assertThat(bed.engine.starts()).hasSize(1);
        }

        @Test
        void aCreateNamesItsExecutionBeforeStartingIt_andOneThatDiedBeforeTheStartIsFinishedByTheRetry() {
            List<String> followedDuringTheStart = new ArrayList<>();
            bed.engine.beforeStart(() -> followedDuringTheStart.add(
                    bed.campaigns.campaign(ApiTestbed.NORTHWIND, "camp-1").executionArn()));
            bed.engine.refuseStarts();

            assertThat(bed.call("POST", "/campaigns", campaignBody("camp-1"), NORTHWIND_KEY).getStatusCode())
                    .isGreaterThanOrEqualTo(500);
            JsonNode stuck = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));
            assertThat(stuck.path("status").asText()).isEqualTo("starting");
            // a process killed right after StartExecution leaves the campaign following the execution it started
            assertThat(followedDuringTheStart).containsExactly(stuck.path("workflow_execution_id").asText());

            bed.engine.allowStarts();
            APIGatewayProxyResponseEvent retried = bed.call("POST", "/campaigns", campaignBody("camp-1"), NORTHWIND_KEY);

            assertThat(retried.getStatusCode()).as(retried.getBody()).isEqualTo(202);
            assertThat(json(retried).path("replayed").asBoolean()).isTrue();
            assertThat(json(retried).path("workflow_execution_id").asText())
                    .isEqualTo(stuck.path("workflow_execution_id").asText());
            assertThat(bed.engine.starts()).hasSize(1);
            assertThat(json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY)).path("status").asText())
                    .isEqualTo("running");
        }

        @Test
        void redrive_ofACampaignWhoseCreateStoppedBeforeTheStart_isAConflictWhileItMayStillStart_thenStartsIt() {
            bed.engine.refuseStarts();
            assertThat(bed.call("POST", "/campaigns", campaignBody("camp-1"), NORTHWIND_KEY).getStatusCode())
                    .isGreaterThanOrEqualTo(500);
            bed.engine.allowStarts();
            String workflow = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY)).path("workflow_id").asText();

            assertError(bed.call("POST", "/workflows/" + workflow + "/redrive", null, NORTHWIND_KEY), 409, "conflict");
            bed.clock.advance(Duration.ofMinutes(2)); // the start lease of the request that stopped has passed
            APIGatewayProxyResponseEvent redriven = bed.call("POST", "/workflows/" + workflow + "/redrive", null,
                    NORTHWIND_KEY);

            assertThat(redriven.getStatusCode()).as(redriven.getBody()).isEqualTo(202);
            assertThat(bed.engine.starts()).hasSize(1);
            assertThat(json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY)).path("status").asText())
                    .isEqualTo("running");
        }

        @Test
        void sameCampaignIdWithAnotherBody_isAConflictAndChangesNothing() {
            bed.create("camp-1", NORTHWIND_KEY);
            String changed = campaignBody("camp-1").replace("practical", "playful");
            String before = bed.state();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/campaigns", changed, NORTHWIND_KEY);

            assertError(response, 409, "conflict");
            assertThat(bed.state()).isEqualTo(before);
        }

        @Test
        void anotherTenantReusingACampaignId_isAConflictThatRevealsNothingOfTheOwner() {
            bed.create("camp-1", NORTHWIND_KEY);

            APIGatewayProxyResponseEvent response = bed.call("POST", "/campaigns", campaignBody("camp-1"), GLOBEX_KEY);
            APIGatewayProxyResponseEvent ownChanged = bed.call("POST", "/campaigns",
                    campaignBody("camp-1").replace("practical", "playful"), NORTHWIND_KEY);

            assertError(response, 409, "conflict");
            assertThat(response.getBody()).doesNotContain("northwind", "wf-")
                    .contains("already taken", "unique across tenants").doesNotContain("different request body");
            // the owner changing its body hears the same words: the answer does not say whose the campaign is
            assertThat(json(ownChanged).path("message")).isEqualTo(json(response).path("message"));
        }

        @Test
        void idempotencyKey_sameBodyReplays_otherBodyIsAConflict() {
            APIGatewayProxyRequestEvent first = withHeader(request("POST", "/campaigns", campaignBody("camp-k"), NORTHWIND_KEY),
                    "Idempotency-Key", "order-42");
            JsonNode created = json(bed.call(first));
            APIGatewayProxyResponseEvent replay = bed.call(withHeader(
                    request("POST", "/campaigns", campaignBody("camp-k"), NORTHWIND_KEY), "Idempotency-Key", "order-42"));
            String before = bed.state();
            APIGatewayProxyResponseEvent reused = bed.call(withHeader(
                    request("POST", "/campaigns", campaignBody("camp-other"), NORTHWIND_KEY), "Idempotency-Key", "order-42"));

            assertThat(replay.getStatusCode()).isEqualTo(202);
            assertThat(json(replay).path("campaign_id")).isEqualTo(created.path("campaign_id"));
            assertError(reused, 409, "conflict");
            assertThat(bed.state()).isEqualTo(before);
            assertThat(bed.engine.starts()).hasSize(1);
        }

        @Test
        void idempotencyKey_reusedWithTheBodyOfAnotherExistingCampaign_isAConflict_notThatCampaignsReplay() {
            bed.call(withHeader(request("POST", "/campaigns", campaignBody("camp-k"), NORTHWIND_KEY),
                    "Idempotency-Key", "order-42"));
            bed.create("camp-other", NORTHWIND_KEY);

            assertError(bed.call(withHeader(request("POST", "/campaigns", campaignBody("camp-other"), NORTHWIND_KEY),
                    "Idempotency-Key", "order-42")), 409, "conflict");
        }

        @Test
        void idempotencyKey_firstSeenOnAReplay_namesThatCampaignFromThenOn() {
            bed.create("camp-k", NORTHWIND_KEY);
            APIGatewayProxyResponseEvent replay = bed.call(withHeader(
                    request("POST", "/campaigns", campaignBody("camp-k"), NORTHWIND_KEY), "Idempotency-Key", "order-43"));
            assertThat(json(replay).path("replayed").asBoolean()).isTrue();

            assertError(bed.call(withHeader(request("POST", "/campaigns", campaignBody("camp-new"), NORTHWIND_KEY),
                    "Idempotency-Key", "order-43")), 409, "conflict");
            assertThat(bed.engine.starts()).hasSize(1);
        }

        @Test
        void malformedIdempotencyKey_isRejected() {
            APIGatewayProxyResponseEvent response = bed.call(withHeader(
                    request("POST", "/campaigns", campaignBody("camp-k"), NORTHWIND_KEY), "Idempotency-Key", "has space"));

            assertError(response, 400, "invalid_request");
            assertThat(bed.engine.starts()).isEmpty();
        }

        @Test
        void anIdempotencyKeySentEmpty_isRejected_notTakenForNoKey() {
            APIGatewayProxyResponseEvent response = bed.call(withHeader(
                    request("POST", "/campaigns", campaignBody("camp-k"), NORTHWIND_KEY), "Idempotency-Key", ""));

            assertError(response, 400, "invalid_request");
            assertThat(response.getBody()).contains("Idempotency-Key");
            assertThat(bed.engine.starts()).isEmpty();
        }

        @Test
        void requiredAgentUnavailable_isRefusedWith503AndRetryAfter() {
            for (int i = 0; i < 10; i++) {
                bed.services.health().recordFailure("planner", "timeout");
            }
            String before = bed.state();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/campaigns", campaignBody("camp-1"), NORTHWIND_KEY);

            assertError(response, 503, "campaign_refused");
            assertThat(Long.parseLong(response.getHeaders().get("Retry-After"))).isPositive();
            assertThat(json(response).path("unavailable_agents").toString()).contains("planner");
            assertThat(bed.state()).isEqualTo(before);
        }

        @Test
        void base64Body_isDecoded() {
            APIGatewayProxyRequestEvent event = request("POST", "/campaigns",
                    Base64.getEncoder().encodeToString(campaignBody("camp-b64").getBytes(StandardCharsets.UTF_8)), NORTHWIND_KEY);
            event.setIsBase64Encoded(true);

            assertThat(bed.call(event).getStatusCode()).isEqualTo(202);
        }
    }

    static Stream<Arguments> badCampaignBodies() {
        String valid = campaignBody("camp-bad");
        return Stream.of(
                Arguments.of("malformed JSON", "{\"campaign_id\": ", "body"),
                Arguments.of("not an object", "[1,2]", "body"),
                Arguments.of("unknown field", valid.replaceFirst("\\{", "{\"colour\":\"red\","), "colour"),
                Arguments.of("read-only status", valid.replaceFirst("\\{", "{\"status\":\"completed\","), "status"),
                Arguments.of("read-only tenant", valid.replaceFirst("\\{", "{\"tenant\":\"globex\","), "tenant"),
                Arguments.of("read-only workflow_id", valid.replaceFirst("\\{", "{\"workflow_id\":\"wf-x\","), "workflow_id"),
                Arguments.of("wrong type", valid.replace("\"priority\":\"high\"", "\"priority\":3"), "priority"),
                Arguments.of("duplicate field", valid.replaceFirst("\\{", "{\"priority\":\"low\","), "body"),
                Arguments.of("research focus with strategy parallel", valid.replace("\"strategy\":\"sequential\"",
                        "\"strategy\":\"parallel\"").replaceFirst("\"agent_parameters\":\\{",
                        "\"agent_parameters\":{\"researcher\":{\"focus\":\"market\"},"),
                        "agent_parameters.researcher.focus"),
                Arguments.of("empty body", "", "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCampaignBodies")
    void invalidCampaignBody_is400NamingTheFieldAndChangesNothing(String label, String body, String field) {
        String before = bed.state();

        APIGatewayProxyResponseEvent response = bed.call("POST", "/campaigns", body, NORTHWIND_KEY);

        assertError(response, 400, "invalid_request");
        assertThat(json(response).path("message").asText()).startsWith(field);
        assertThat(bed.state()).isEqualTo(before);
    }

    @Test
    void campaignBodyWithSeveralWrongFields_is400ListingEachInErrors() {
        String before = bed.state();
        String body = campaignBody("camp-several").replace("\"priority\":\"high\"", "\"priority\":3")
                .replaceFirst("\\{", "{\"colour\":\"red\",");

        APIGatewayProxyResponseEvent response = bed.call("POST", "/campaigns", body, NORTHWIND_KEY);

        assertError(response, 400, "invalid_request");
        JsonNode errors = json(response).path("errors");
        assertThat(errors.findValuesAsText("field")).containsExactly("colour", "priority");
        assertThat(errors.get(1).path("message").asText()).isEqualTo("must be a string, one of [low, normal, high,"
                + " urgent], got a number");
        assertThat(json(response).path("message").asText()).startsWith("colour: ").contains("; priority: ");
        assertThat(bed.state()).isEqualTo(before);
    }

    @Nested
    class RequestChecks {

        @Test
        void missingApiKey_is401() {
            assertError(bed.call("GET", "/campaigns", null, null), 401, "unauthorized");
            assertError(bed.call("POST", "/campaigns", campaignBody("c"), null), 401, "unauthorized");
            assertThat(bed.engine.starts()).isEmpty();
        }

        @Test
        void unknownApiKey_is401_evenOnUnknownRoutes() {
            assertError(bed.call("GET", "/campaigns", null, "cf_live_tenant_northwind_3f9a2d"), 401, "unauthorized");
            assertError(bed.call("GET", "/admin", null, "nope-nope-nope"), 401, "unauthorized");
        }

        @Test
        void unknownRoute_is404() {
            assertError(bed.call("GET", "/campaignz", null, NORTHWIND_KEY), 404, "not_found");
            assertError(bed.call("GET", "/campaigns/a/b/c", null, NORTHWIND_KEY), 404, "not_found");
        }

        @Test
        void wrongMethod_is405WithAllow() {
            APIGatewayProxyResponseEvent response = bed.call("DELETE", "/campaigns", null, NORTHWIND_KEY);

            assertError(response, 405, "method_not_allowed");
            assertThat(response.getHeaders().get("Allow")).contains("POST", "GET");
        }

        @Test
        void bodyOverTheLimit_is413AndChangesNothing() {
            String before = bed.state();
            String huge = "{\"note\":\"" + "x".repeat(300 * 1024) + "\"}";
            String large = campaignBody("camp-big").replace("practical", "p".repeat(70 * 1024));

            assertError(bed.call("POST", "/campaigns", huge, NORTHWIND_KEY), 413, "payload_too_large");
            assertError(bed.call("POST", "/campaigns", large, NORTHWIND_KEY), 413, "payload_too_large");
            assertThat(bed.state()).isEqualTo(before);
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"})
        void nonJsonContentType_is415AndChangesNothing(String contentType) {
            String before = bed.state();
            APIGatewayProxyRequestEvent event = withHeader(request("POST", "/campaigns", campaignBody("c-415"), NORTHWIND_KEY),
                    "Content-Type", contentType);

            assertError(bed.call(event), 415, "unsupported_media_type");
            assertThat(bed.state()).isEqualTo(before);
        }

        @Test
        void jsonWithCharset_andHeaderNamesInAnyCase_areAccepted() {
            APIGatewayProxyRequestEvent event = request("POST", "/campaigns", campaignBody("c-case"), null);
            withHeader(event, "Content-Type", null);
            withHeader(event, "content-type", "Application/JSON; charset=UTF-8");
            withHeader(event, "X-API-KEY", NORTHWIND_KEY);

            assertThat(bed.call(event).getStatusCode()).isEqualTo(202);
        }

        @Test
        void unexpectedFailure_is500WithARequestIdAndNoDetails() {
            bed.create("camp-1", NORTHWIND_KEY);
            bed.engine.becomeUnreachable();

            APIGatewayProxyResponseEvent response = bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY);

            assertError(response, 500, "internal_error");
            assertThat(json(response).path("request_id").asText()).isEqualTo("c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
            assertThat(response.getBody()).doesNotContain("unreachable", "Step Functions");
        }
    }

    @Nested
    class Campaigns {

        @Test
        void getCampaign_reportsProgressWhileRunning_andTheResultOnceDone() {
            JsonNode created = bed.create("camp-1", NORTHWIND_KEY);
            bed.checkpoint(created, "planner", List.of("planner"), 20);

            JsonNode running = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));
            bed.clock.advance(Duration.ofSeconds(90));
            bed.engine.finish(created.path("workflow_execution_id").asText(), WorkflowEngine.Status.SUCCEEDED, null, null);
            JsonNode done = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));

            assertThat(running.path("status").asText()).isEqualTo("running");
            assertThat(running.path("progress").asInt()).isEqualTo(20);
            assertThat(running.path("current_agent").asText()).isEqualTo("planner");
            assertThat(running.has("result")).isFalse();
            assertThat(done.path("status").asText()).isEqualTo("completed");
            JsonNode result = done.path("result");
            assertThat(result.path("success").asBoolean()).isTrue();
            assertThat(result.path("agents_executed").toString()).contains("planner");
            assertThat(result.path("checkpoints_created").asInt()).isEqualTo(1);
            assertThat(result.path("total_duration").asDouble()).isEqualTo(90.0);
        }

        private APIGatewayProxyResponseEvent listPage(Map<String, String> query) {
            APIGatewayProxyRequestEvent event = ApiTestbed.request("GET", "/campaigns", null, NORTHWIND_KEY);
            event.setQueryStringParameters(query);
            return bed.call(event);
        }

        @Test
        void listCampaigns_pagesNewestFirst_withLimitAndNextToken() {
            for (String id : List.of("camp-p1", "camp-p2", "camp-p3")) {
                bed.create(id, NORTHWIND_KEY);
                bed.clock.advance(Duration.ofSeconds(1));
            }

            JsonNode first = json(listPage(Map.of("limit", "2")));
            JsonNode second = json(listPage(Map.of("limit", "2", "next_token", first.path("next_token").asText())));

            assertThat(first.path("campaigns").findValuesAsText("campaign_id")).containsExactly("camp-p3", "camp-p2");
            assertThat(second.path("campaigns").findValuesAsText("campaign_id")).containsExactly("camp-p1");
            assertThat(second.has("next_token")).isFalse();
            assertThat(json(bed.call("GET", "/campaigns", null, NORTHWIND_KEY)).has("next_token")).isFalse();
        }

        @Test
        void listCampaigns_looksTheCampaignsOfAPageUpSideBySide_andListsThemInOrder() {
            for (String id : List.of("camp-s1", "camp-s2", "camp-s3")) {
                bed.create(id, NORTHWIND_KEY);
                bed.clock.advance(Duration.ofSeconds(1));
            }
            bed.engine.holdDescribesUntil(3); // each execution lookup waits until all three are under way

            JsonNode page = json(bed.call("GET", "/campaigns", null, NORTHWIND_KEY));

            assertThat(bed.engine.describeGateTimedOut()).as("the three executions were looked up at once").isFalse();
            assertThat(page.path("campaigns").findValuesAsText("campaign_id"))
                    .containsExactly("camp-s3", "camp-s2", "camp-s1");
            assertThat(page.path("campaigns").findValuesAsText("status")).containsOnly("running");
        }

        @Test
        void listCampaigns_withABadLimitOrNextToken_is400NamingIt() {
            bed.create("camp-p1", NORTHWIND_KEY);
            for (String limit : List.of("0", "101", "ten", "-1", "1e2")) {
                APIGatewayProxyResponseEvent response = listPage(Map.of("limit", limit));
                assertError(response, 400, "invalid_request");
                assertThat(json(response).path("errors").get(0).path("field").asText()).isEqualTo("limit");
            }
            for (String token : List.of("not-a-token", "%%%", java.util.Base64.getUrlEncoder().encodeToString(
                    "yesterday#camp-p1".getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
                APIGatewayProxyResponseEvent response = listPage(Map.of("next_token", token));
                assertError(response, 400, "invalid_request");
                assertThat(json(response).path("errors").get(0).path("field").asText()).isEqualTo("next_token");
            }
        }

        @Test
        void listCampaigns_showsOnlyTheCallersCampaigns() {
            bed.create("camp-a1", NORTHWIND_KEY);
            bed.create("camp-a2", NORTHWIND_KEY);
            bed.create("camp-g1", GLOBEX_KEY);

            JsonNode acme = json(bed.call("GET", "/campaigns", null, NORTHWIND_KEY));
            JsonNode globex = json(bed.call("GET", "/campaigns", null, GLOBEX_KEY));

            // newest first (created at the same instant here: then by id, descending)
            assertThat(acme.path("campaigns").findValuesAsText("campaign_id")).containsExactly("camp-a2", "camp-a1");
            assertThat(globex.path("campaigns").findValuesAsText("campaign_id")).containsExactly("camp-g1");
            assertThat(acme.path("campaigns").get(0).path("status").asText()).isEqualTo("running");
        }

        @Test
        void performance_listsTheRecordedRuns() {
            JsonNode created = bed.create("camp-1", NORTHWIND_KEY);
            bed.services.performance().record("camp-1", new AgentPerformance(created.path("workflow_id").asText(), "writer",
                    "writer", 1500, true, created.path("workflow_id").asText() + "/checkpoint_003", 0.82, 2048,
                    bed.clock.instant()));

            APIGatewayProxyResponseEvent response = bed.call("GET", "/campaigns/camp-1/performance", null, NORTHWIND_KEY);

            assertThat(response.getStatusCode()).isEqualTo(200);
            JsonNode run = json(response).path("runs").get(0);
            assertThat(run.path("agent_name").asText()).isEqualTo("writer");
            assertThat(run.path("execution_time").asDouble()).isEqualTo(1.5);
            assertThat(run.path("quality_score").asDouble()).isEqualTo(0.82);
        }

        @Test
        void malformedCampaignId_is400() {
            assertError(bed.call("GET", "/campaigns/bad%20id", null, NORTHWIND_KEY), 400, "invalid_request");
            assertError(bed.call("GET", "/campaigns/" + "x".repeat(65), null, NORTHWIND_KEY), 400, "invalid_request");
        }

        @Test
        void unknownCampaign_is404() {
            assertError(bed.call("GET", "/campaigns/camp-none", null, NORTHWIND_KEY), 404, "not_found");
        }

        @Test
        void unknownWorkflow_is404_namingTheWorkflow() {
            var listed = bed.call("GET", "/workflows/wf-none/checkpoints", null, NORTHWIND_KEY);
            var redriven = bed.call("POST", "/workflows/wf-none/redrive", null, NORTHWIND_KEY);

            assertError(listed, 404, "not_found");
            assertError(redriven, 404, "not_found");
            assertThat(json(listed).path("message").asText()).isEqualTo("no campaign has workflow wf-none");
            assertThat(json(redriven).path("message").asText()).isEqualTo("no campaign has workflow wf-none");
        }

        /** camp-1, whose execution succeeded after checkpointing planner, researcher, writer and editor. */
        private JsonNode campaignDoneUpToTheEditor() {
            JsonNode created = bed.create("camp-1", NORTHWIND_KEY);
            bed.checkpoint(created, "planner", List.of("planner"), 17);
            bed.checkpoint(created, "researcher", List.of("planner", "researcher"), 33);
            bed.checkpoint(created, "writer", List.of("planner", "researcher", "writer"), 50);
            bed.checkpoint(created, "editor", List.of("planner", "researcher", "writer", "editor"), 67);
            bed.engine.finish(created.path("workflow_execution_id").asText(), WorkflowEngine.Status.SUCCEEDED, null, null);
            return created;
        }

        @Test
        void rerun_resumesWithRetryFromTheAgentsCheckpoint() {
            campaignDoneUpToTheEditor();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/campaigns/camp-1/rerun",
                    "{\"agents\":[\"editor\"],\"parameters\":{\"editor\":{\"tone\":\"formal\"}}}", NORTHWIND_KEY);

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
            assertThat(bed.engine.starts()).hasSize(2);
            String input = bed.engine.starts().get(1).input();
            assertThat(input).contains("\"writer\"").doesNotContain("\"editor\":{\"checkpoint_id\"");
        }

        @Test
        void parametersOfAnAgentTheNewExecutionDoesNotRun_are400AndChangeNothing() {
            JsonNode created = campaignDoneUpToTheEditor();
            String workflowId = created.path("workflow_id").asText();
            String before = bed.state();

            APIGatewayProxyResponseEvent rerun = bed.call("POST", "/campaigns/camp-1/rerun",
                    "{\"agents\":[\"editor\"],\"parameters\":{\"writer\":{\"target_words\":200}}}", NORTHWIND_KEY);
            APIGatewayProxyResponseEvent resume = bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_003",
                    "{\"action\":\"continue\",\"parameters\":{\"writer\":{\"tone\":\"formal\"},"
                            + "\"planner\":{\"posts\":2},\"seo\":{\"base_url\":\"https://example.com\"}}}", NORTHWIND_KEY);

            assertError(rerun, 400, "invalid_request");
            assertThat(json(rerun).path("message").asText()).contains("parameters.writer: writer does not run in this"
                    + " execution, which runs editor, seo, distribution");
            assertError(resume, 400, "invalid_request");
            assertThat(json(resume).path("errors").findValuesAsText("field"))
                    .containsExactlyInAnyOrder("parameters.writer", "parameters.planner");
            assertThat(bed.state()).isEqualTo(before);
            assertThat(bed.engine.starts()).hasSize(1);
        }

        @Test
        void rerun_namingTheFallbackThatRan_rerunsItsStep() {
            JsonNode created = bed.create("camp-1", NORTHWIND_KEY);
            bed.checkpoint(created, "planner", List.of("planner"), 17);
            bed.checkpoint(created, "researcher", List.of("planner", "researcher"), 33);
            bed.engine.finish(created.path("workflow_execution_id").asText(), WorkflowEngine.Status.SUCCEEDED, null, null);

            APIGatewayProxyResponseEvent response = bed.call("POST", "/campaigns/camp-1/rerun",
                    "{\"agents\":[\"basic_research\"]}", NORTHWIND_KEY);

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
            assertThat(bed.engine.starts().get(1).input()).contains("\"planner\":{\"checkpoint_id\"")
                    .doesNotContain("\"researcher\":{\"checkpoint_id\"");
        }

        @Test
        void rerun_badBodies_are400AndChangeNothing() {
            bed.create("camp-1", NORTHWIND_KEY);
            String before = bed.state();

            for (String body : List.of("{}", "{\"agents\":[]}", "{\"agents\":\"editor\"}", "{\"agents\":[3]}",
                    "{\"agents\":[\"editor\"],\"extra\":1}", "{\"agents\":[\"illustrator\"]}",
                    "{\"agents\":[\"editor\"],\"parameters\":{\"editor\":\"formal\"}}")) {
                assertError(bed.call("POST", "/campaigns/camp-1/rerun", body, NORTHWIND_KEY), 400, "invalid_request");
            }
            assertThat(bed.state()).isEqualTo(before);
            // the error names the element that is wrong, as for keywords[3]
            assertThat(bed.call("POST", "/campaigns/camp-1/rerun", "{\"agents\":[\"editor\",\"EDITOR\"]}",
                    NORTHWIND_KEY).getBody()).contains("\"field\":\"agents[1]\"");
        }
    }

    @Nested
    class Workflows {

        private JsonNode campaign;
        private String workflowId;

        @BeforeEach
        void createCampaignWithCheckpoints() {
            campaign = bed.create("camp-1", NORTHWIND_KEY);
            workflowId = campaign.path("workflow_id").asText();
            bed.checkpoint(campaign, "planner", List.of("planner"), 17);
            bed.checkpoint(campaign, "researcher", List.of("planner", "researcher"), 33);
        }

        private void fail() {
            bed.engine.finish(campaign.path("workflow_execution_id").asText(), WorkflowEngine.Status.FAILED,
                    "States.TaskFailed", "writer failed");
        }

        @Test
        void listCheckpoints_returnsTheListingShape() {
            APIGatewayProxyResponseEvent response = bed.call("GET", "/workflows/" + workflowId + "/checkpoints", null, NORTHWIND_KEY);

            assertThat(response.getStatusCode()).isEqualTo(200);
            JsonNode list = json(response);
            assertThat(list.isArray()).isTrue();
            assertThat(list).hasSize(2);
            assertThat(list.get(1).path("checkpoint_id").asText()).isEqualTo(workflowId + "/checkpoint_002");
            assertThat(list.get(1).fieldNames()).toIterable().containsExactly("checkpoint_id", "agent_name",
                    "phase_name", "type", "status", "created_at", "size_bytes", "resume_instructions", "available_actions");
        }

        @Test
        void manualCheckpoint_isCreatedWithTheNote_andListed() {
            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/" + workflowId + "/checkpoints/manual",
                    "{\"note\":\"before the big edit\"}", NORTHWIND_KEY);

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
            assertThat(json(response).path("type").asText()).isEqualTo("manual");
            assertThat(json(bed.call("GET", "/workflows/" + workflowId + "/checkpoints", null, NORTHWIND_KEY))).hasSize(3);
        }

        @Test
        void manualCheckpoint_whileAResumeHasNotCheckpointedYet_copiesTheCheckpointItResumedFrom() {
            fail();
            assertThat(bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_001",
                    "{\"action\":\"continue\"}", NORTHWIND_KEY).getStatusCode()).isEqualTo(202);

            JsonNode manual = json(bed.call("POST", "/workflows/" + workflowId + "/checkpoints/manual",
                    "{\"note\":\"during the resume\"}", NORTHWIND_KEY));

            // the state the campaign is in now (the planner's, 17 %), not the failed run's newer researcher checkpoint
            assertThat(manual.path("agent_name").asText()).isEqualTo("planner");
            assertThat(manual.path("resume_instructions").asText())
                    .startsWith("Manual checkpoint of " + workflowId + "/checkpoint_001: during the resume.");
        }

        @Test
        void manualCheckpoint_whileARetryFromTheFirstCheckpointHasNotCheckpointedYet_isAConflictSayingWhy() {
            fail();
            assertThat(bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_001",
                    "{\"action\":\"retry\"}", NORTHWIND_KEY).getStatusCode()).isEqualTo(202);
            String before = bed.state();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/" + workflowId + "/checkpoints/manual",
                    null, NORTHWIND_KEY);

            assertError(response, 409, "conflict");
            assertThat(json(response).path("message").asText()).contains("started over from the first step");
            assertThat(bed.state()).isEqualTo(before);
        }

        @Test
        void manualCheckpoint_ofAWorkflowWithNoCheckpointYet_isAConflictSayingSo() {
            JsonNode fresh = bed.create("camp-fresh", NORTHWIND_KEY);
            String before = bed.state();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/" + fresh.path("workflow_id").asText()
                    + "/checkpoints/manual", null, NORTHWIND_KEY);

            assertError(response, 409, "conflict");
            assertThat(json(response).path("message").asText()).contains("no checkpoint to copy yet");
            assertThat(bed.state()).isEqualTo(before);
        }

        @Test
        void manualCheckpoint_withoutBody_isCreated() {
            assertThat(bed.call("POST", "/workflows/" + workflowId + "/checkpoints/manual", null, NORTHWIND_KEY)
                    .getStatusCode()).isEqualTo(201);
        }

        @Test
        void manualCheckpoint_badNotes_are400AndChangeNothing() {
            String before = bed.state();
            for (String body : List.of("{\"note\":5}", "{\"note\":null}", "{\"note\":\"" + "n".repeat(201) + "\"}", "{\"notes\":\"x\"}",
                    "{\"note\":\"a\\u0000b\"}", "\"just text\"")) {
                assertError(bed.call("POST", "/workflows/" + workflowId + "/checkpoints/manual", body, NORTHWIND_KEY),
                        400, "invalid_request");
            }
            assertThat(bed.state()).isEqualTo(before);
        }

        @Test
        void resume_withAnEncodedCheckpointId_startsTheRemainingSteps() {
            fail();
            String encoded = workflowId + "%2Fcheckpoint_002";

            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/resume/" + encoded,
                    "{\"action\":\"continue\"}", NORTHWIND_KEY);

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
            assertThat(bed.engine.starts()).hasSize(2);
            assertThat(bed.engine.starts().get(1).input())
                    .contains("\"researcher\":{\"checkpoint_id\":\"" + workflowId + "/checkpoint_002\"}");
            assertThat(json(response).path("status").asText()).isEqualTo("running");
        }

        @Test
        void resume_withAPlainSlash_isTheSameCheckpoint() {
            fail();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/resume/" + workflowId + "/checkpoint_001",
                    "{\"action\":\"retry\",\"parameters\":{\"researcher\":{\"depth\":2}}}", NORTHWIND_KEY);

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        }

        @Test
        void resume_withChangedParameters_storesThemInTheRequestTheAgentsRead() {
            fail();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_002",
                    "{\"action\":\"continue\",\"parameters\":{\"writer\":{\"tone\":\"formal\"}}}", NORTHWIND_KEY);

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
            assertThat(bed.campaigns.campaign(ApiTestbed.NORTHWIND, "camp-1").request()
                    .path("agent_parameters").path("writer").path("tone").asText()).isEqualTo("formal");
            assertThat(json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY)).path("status").asText())
                    .isEqualTo("running");
        }

        @Test
        void resume_withParameters_whoseExecutionCannotStart_leavesTheRequestAsItWas() {
            fail();
            JsonNode before = bed.campaigns.campaign(ApiTestbed.NORTHWIND, "camp-1").request();
            bed.engine.refuseStarts();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_002",
                    "{\"action\":\"continue\",\"parameters\":{\"writer\":{\"tone\":\"formal\"}}}", NORTHWIND_KEY);

            assertThat(response.getStatusCode()).as(response.getBody()).isGreaterThanOrEqualTo(500);
            assertThat(bed.campaigns.campaign(ApiTestbed.NORTHWIND, "camp-1").request()).isEqualTo(before);
            assertThat(bed.campaigns.campaign(ApiTestbed.NORTHWIND, "camp-1").status()).isNotEqualTo("starting");
            assertThat(bed.campaigns.campaign(ApiTestbed.NORTHWIND, "camp-1").executionArn())
                    .as("the campaign follows its failed execution again").isEqualTo(campaign.path("workflow_execution_id").asText());
            assertThat(bed.engine.starts()).hasSize(1); // the campaign's own start only
        }

        @Test
        void redrive_ofACampaignWhoseResumeStoppedBeforeItsStart_isAConflictSayingToResume_notANotFound() {
            fail();
            bed.engine.beforeStart(() -> {
                throw new AssertionError("process killed before StartExecution");
            });
            assertThatThrownBy(() -> bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_002",
                    "{\"action\":\"retry\"}", NORTHWIND_KEY)).isInstanceOf(AssertionError.class);
            bed.engine.beforeStart(() -> { });

            // while the stopped request might still start it, as any concurrent recovery
            assertError(bed.call("POST", "/workflows/" + workflowId + "/redrive", null, NORTHWIND_KEY), 409, "conflict");
            bed.clock.advance(Duration.ofMinutes(2));
            APIGatewayProxyResponseEvent redrive = bed.call("POST", "/workflows/" + workflowId + "/redrive", null,
                    NORTHWIND_KEY);

            assertError(redrive, 409, "conflict");
            assertThat(json(redrive).path("message").asText()).contains("never started", "resume the campaign");
            // and the campaign's status says so too, rather than "starting" with nothing more
            JsonNode status = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));
            assertThat(status.path("status").asText()).isEqualTo("starting");
            assertThat(status.path("limitations").toString()).contains("never started", "resume the campaign");
            APIGatewayProxyResponseEvent resumed = bed.call("POST", "/workflows/resume/" + workflowId
                    + "%2Fcheckpoint_002", "{\"action\":\"retry\"}", NORTHWIND_KEY);
            assertThat(resumed.getStatusCode()).as(resumed.getBody()).isEqualTo(202);
        }

        @Test
        void status_whileBranchesRunSideBySide_countsEveryStepTheExecutionCheckpointed() {
            // a third step checkpointed beside the researcher (as Parallel branches do): its state holds only its own
            bed.checkpoint(campaign, "writer", List.of("planner", "writer"), 33);

            JsonNode status = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));

            assertThat(status.path("status").asText()).isEqualTo("running");
            assertThat(status.path("progress").asInt()).isEqualTo(50); // planner, researcher, writer of 6
        }

        @Test
        void status_ofAResumedExecutionBeforeItsFirstCheckpoint_showsTheProgressItResumesFrom() {
            fail();
            assertThat(bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_001",
                    "{\"action\":\"continue\"}", NORTHWIND_KEY).getStatusCode()).isEqualTo(202);

            JsonNode status = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));

            assertThat(status.path("status").asText()).isEqualTo("running");
            // not the end of the failed run before it (the researcher's 33 %)
            assertThat(status.path("progress").asInt()).isEqualTo(17);
            assertThat(status.path("current_agent").asText()).isEqualTo("planner");
        }

        @Test
        void status_ofAResumedExecutionStoppedBeforeItsFirstCheckpoint_staysWhereItBegan() {
            fail();
            JsonNode resumed = json(bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_001",
                    "{\"action\":\"continue\"}", NORTHWIND_KEY));
            bed.engine.finish(resumed.path("workflow_execution_id").asText(), WorkflowEngine.Status.ABORTED, null, null);

            JsonNode status = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));

            assertThat(status.path("status").asText()).isEqualTo("aborted");
            // as while it ran: the planner's checkpoint it began from, not the end of the failed run before it
            assertThat(status.path("progress").asInt()).isEqualTo(17);
            assertThat(status.path("current_agent").asText()).isEqualTo("planner");
            assertThat(status.path("result").path("intermediate_results").fieldNames()).toIterable()
                    .containsExactly("planner");
        }

        @Test
        void status_ofARetryFromTheFirstCheckpointBeforeItsFirstCheckpoint_startsFromNothing() {
            fail();
            assertThat(bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_001",
                    "{\"action\":\"retry\"}", NORTHWIND_KEY).getStatusCode()).isEqualTo(202);

            JsonNode status = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));

            assertThat(status.path("status").asText()).isEqualTo("running");
            assertThat(status.path("progress").asInt()).isZero();
            assertThat(status.path("current_agent").isNull()).isTrue();
        }

        @Test
        void resume_whoseStartAnswerIsLost_followsTheExecutionItStarted_namedBeforeTheStart() {
            fail();
            bed.engine.loseStartAnswers();
            List<String> followedDuringTheStart = new ArrayList<>();
            bed.engine.beforeStart(() -> followedDuringTheStart.add(
                    bed.campaigns.campaign(ApiTestbed.NORTHWIND, "camp-1").executionArn()));

            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_002",
                    "{\"action\":\"continue\"}", NORTHWIND_KEY);

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
            String started = json(response).path("workflow_execution_id").asText();
            assertThat(bed.engine.starts()).hasSize(2);
            assertThat(started).endsWith(":" + bed.engine.starts().get(1).name());
            // a caller killed during the start (the API's timeout) leaves the campaign following the new execution
            assertThat(followedDuringTheStart).containsExactly(started);
            JsonNode status = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));
            assertThat(status.path("workflow_execution_id").asText()).isEqualTo(started);
            assertThat(status.path("status").asText()).isEqualTo("running");
            assertError(bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_002",
                    "{\"action\":\"continue\"}", NORTHWIND_KEY), 409, "conflict");
        }

        @Test
        void continue_fromACheckpointWrittenAfterASkippedStep_doesNotRunTheSkippedStepAfterTheLaterOnes() {
            bed.checkpoint(campaign, "writer", List.of("planner", "researcher", "writer"), 50);
            // the editor failed with its fallback and was skipped; the seo step ran after it
            bed.services.health().recordDegradation(new DegradationEvent("camp-1", workflowId, "editor", "basic_qa",
                    DegradationEvent.SKIPPED, "injected fault", bed.services.clock().instant()));
            bed.checkpoint(campaign, "seo", List.of("planner", "researcher", "writer", "seo"), 83);
            fail();

            APIGatewayProxyResponseEvent fromSeo = bed.call("POST", "/workflows/resume/" + workflowId
                    + "%2Fcheckpoint_004", "{\"action\":\"continue\"}", NORTHWIND_KEY);

            assertThat(fromSeo.getStatusCode()).as(fromSeo.getBody()).isEqualTo(202);
            String stateMachine = bed.engine.starts().get(1).stateMachineArn();
            String definition = bed.engine.stateMachines().get(stateMachine.substring(stateMachine.lastIndexOf(':') + 1));
            assertThat(definition).contains("\"StartAt\": \"distribution\"").doesNotContain("\"editor\"");
        }

        @Test
        void retry_fromACheckpointOfAnExecutionThatBeganAfterAnotherSkippedAStep_runsThatStep() {
            bed.checkpoint(campaign, "writer", List.of("planner", "researcher", "writer"), 50);
            bed.checkpoint(campaign, "editor", List.of("planner", "researcher", "writer", "editor"), 67);
            bed.clock.advance(Duration.ofSeconds(5));
            // a resume from the editor's checkpoint skipped seo ...
            bed.services.health().recordDegradation(new DegradationEvent("camp-1", workflowId, "seo", "seo",
                    DegradationEvent.SKIPPED, "skipped when resuming from " + workflowId + "/checkpoint_004",
                    bed.services.clock().instant()));
            bed.clock.advance(Duration.ofSeconds(5));
            // ... then a retry from the writer's ran writer and editor again: its checkpoints know of no skip
            bed.checkpoint(campaign, workflowId + "-retry-1", "writer", List.of("planner", "researcher", "writer"), 50);
            bed.clock.advance(Duration.ofSeconds(1));
            bed.checkpoint(campaign, workflowId + "-retry-1", "editor", List.of("planner", "researcher", "writer", "editor"), 67);
            fail();

            APIGatewayProxyResponseEvent retry = bed.call("POST", "/workflows/resume/" + workflowId
                    + "%2Fcheckpoint_006", "{\"action\":\"retry\"}", NORTHWIND_KEY);

            assertThat(retry.getStatusCode()).as(retry.getBody()).isEqualTo(202);
            String stateMachine = bed.engine.starts().getLast().stateMachineArn();
            String definition = bed.engine.stateMachines().get(stateMachine.substring(stateMachine.lastIndexOf(':') + 1));
            assertThat(definition).contains("\"StartAt\": \"editor\"", "\"seo\"", "\"distribution\"");
        }

        @Test
        void concurrentResumesAndRedrives_startOneExecution_andTheOthersAreConflicts() throws Exception {
            fail();
            List<String> bodies = List.of("{\"action\":\"continue\"}", "{\"action\":\"retry\"}");
            bed.engine.holdDescribesUntil(8); // all eight find the execution failed before any of them acts

            List<Integer> statuses = Concurrently.run(8, i -> () -> i % 4 == 3
                    ? bed.call("POST", "/workflows/" + workflowId + "/redrive", null, NORTHWIND_KEY).getStatusCode()
                    : bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_00" + (1 + i % 2),
                            bodies.get(i % 2), NORTHWIND_KEY).getStatusCode());

            assertThat(statuses).filteredOn(s -> s == 202).hasSize(1);
            assertThat(statuses).filteredOn(s -> s != 202).containsOnly(409);
            assertThat(bed.engine.starts().size() - 1 + bed.engine.redrives().size()).isEqualTo(1);
            assertThat(json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY)).path("status").asText())
                    .isEqualTo("running");
        }

        @Test
        void resume_whileTheWriterIsUnavailable_isRefusedWith503AndChangesNothing() {
            fail();
            for (int i = 0; i < 10; i++) {
                bed.services.health().recordFailure("writer", "timeout");
            }
            String before = bed.state();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_002",
                    "{\"action\":\"continue\"}", NORTHWIND_KEY);

            assertError(response, 503, "campaign_refused");
            assertThat(Long.parseLong(response.getHeaders().get("Retry-After"))).isPositive();
            assertThat(json(response).path("unavailable_agents").toString()).contains("writer");
            assertThat(bed.state()).isEqualTo(before);
        }

        @Test
        void resume_whileRunning_isAConflict() {
            String before = bed.state();

            assertError(bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_002",
                    "{\"action\":\"continue\"}", NORTHWIND_KEY), 409, "conflict");
            assertThat(bed.state()).isEqualTo(before);
        }

        @Test
        void resume_badBodies_are400AndChangeNothing() {
            fail();
            String before = bed.state();
            for (String body : List.of("", "{}", "{\"action\":\"rewind\"}", "{\"action\":1}",
                    "{\"action\":\"continue\",\"parameters\":[]}", "{\"action\":\"continue\",\"force\":true}",
                    "{\"action\":\"continue\",\"parameters\":{\"ghostwriter\":{\"x\":1}}}")) {
                assertError(bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_002", body, NORTHWIND_KEY),
                        400, "invalid_request");
            }
            assertThat(bed.state()).isEqualTo(before);
        }

        @Test
        void resume_withBadParameters_namesEachWrongAgentUnderTheBodysParametersField() {
            fail();
            String before = bed.state();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_002",
                    "{\"action\":\"retry\",\"parameters\":{\"ghostwriter\":{\"x\":1},"
                            + "\"writer\":{\"Bad-Name\":1}}}", NORTHWIND_KEY);

            assertError(response, 400, "invalid_request");
            assertThat(json(response).path("message").asText())
                    .contains("parameters.ghostwriter: is not an agent")
                    .contains("parameters.writer.Bad-Name: parameter names must match")
                    .doesNotContain("agent_parameters");
            assertThat(bed.state()).isEqualTo(before);
        }

        @Test
        void resume_ofAMissingCheckpoint_is404() {
            fail();
            assertError(bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_009",
                    "{\"action\":\"continue\"}", NORTHWIND_KEY), 404, "checkpoint_not_found");
        }

        @Test
        void resume_ofACorruptCheckpoint_is422NamingThePreviousValidOne() {
            fail();
            bed.blobs.corrupt("checkpoints/" + workflowId + "/checkpoint_002.json.gz", new byte[] {1, 2, 3});
            String before = bed.state();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_002",
                    "{\"action\":\"continue\"}", NORTHWIND_KEY);

            assertError(response, 422, "corrupt_checkpoint");
            assertThat(json(response).path("previous_valid_checkpoint_id").asText()).isEqualTo(workflowId + "/checkpoint_001");
            assertThat(bed.state()).isEqualTo(before);
        }

        @Test
        void resume_ofAnExpiredCheckpoint_is410_namingTheLatestUnexpiredOne_andChangesNothing() {
            fail();
            bed.clock.advance(Duration.ofDays(31)); // past every checkpoint's expires_at, before any sweep
            String before = bed.state();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_002",
                    "{\"action\":\"continue\"}", NORTHWIND_KEY);

            assertError(response, 410, "checkpoint_expired");
            assertThat(json(response).path("checkpoint_id").asText()).isEqualTo(workflowId + "/checkpoint_002");
            assertThat(json(response).path("latest_unexpired_checkpoint_id").isNull()).isTrue();
            assertThat(json(response).path("message").asText()).contains("expired at")
                    .contains("the workflow has no checkpoint that has not expired");
            assertThat(bed.state()).isEqualTo(before);

            // a manual checkpoint taken now copies the latest state and is valid for the retention period again
            String manual = json(bed.call("POST", "/workflows/" + workflowId + "/checkpoints/manual", "{}", NORTHWIND_KEY))
                    .path("checkpoint_id").asText();
            JsonNode again = json(bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_001",
                    "{\"action\":\"retry\"}", NORTHWIND_KEY));
            assertThat(again.path("error").asText()).isEqualTo("checkpoint_expired");
            assertThat(again.path("latest_unexpired_checkpoint_id").asText()).isEqualTo(manual);
            assertThat(again.path("message").asText()).contains("resume from " + manual);
        }

        @Test
        void rerun_whoseCheckpointExpired_is410() {
            fail();
            bed.clock.advance(Duration.ofDays(31));

            assertError(bed.call("POST", "/campaigns/camp-1/rerun", "{\"agents\":[\"researcher\"]}", NORTHWIND_KEY),
                    410, "checkpoint_expired");
        }

        @Test
        void result_withACorruptLatestCheckpoint_saysSo_andWhichCheckpointItShows() {
            fail();
            bed.blobs.corrupt("checkpoints/" + workflowId + "/checkpoint_002.json.gz", new byte[] {1, 2, 3});

            JsonNode result = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY)).path("result");

            assertThat(result.path("limitations")).extracting(JsonNode::asText).contains("checkpoint " + workflowId
                    + "/checkpoint_002 cannot be read (corrupt or deleted): the results are those of " + workflowId
                    + "/checkpoint_001; resume from it to run the later steps again");
        }

        @Test
        void redrive_ofAFailedExecution_isAccepted() {
            fail();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/" + workflowId + "/redrive", null, NORTHWIND_KEY);

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
            assertThat(bed.engine.redrives()).containsExactly(campaign.path("workflow_execution_id").asText());
        }

        @Test
        void redrive_whileTheWriterItWouldRunIsUnavailable_isRefusedWith503AndChangesNothing() {
            fail();
            for (int i = 0; i < 10; i++) {
                bed.services.health().recordFailure("writer", "timeout");
            }
            String before = bed.state();

            APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/" + workflowId + "/redrive", null,
                    NORTHWIND_KEY);

            assertError(response, 503, "campaign_refused");
            assertThat(json(response).path("unavailable_agents").toString()).contains("writer");
            assertThat(bed.engine.redrives()).isEmpty();
            assertThat(bed.state()).isEqualTo(before);
        }

        @Test
        void aFallbackThatSucceedsOnARedrive_afterFailingBefore_leavesTheStepDegraded_notUndone() {
            bed.services.health().recordDegradation(new DegradationEvent("camp-1", workflowId, "researcher",
                    "researcher", DegradationEvent.NOT_REPLACED, "basic_research failed too: no sources",
                    bed.clock.instant()));
            bed.clock.advance(Duration.ofSeconds(5));
            // the redrive: basic_research ran the step and succeeded
            String execution = campaign.path("workflow_execution_id").asText();
            bed.services.performance().record("camp-1", new AgentPerformance(execution, "basic_research", "researcher",
                    40, true, workflowId + "/checkpoint_002", 0.6, 1000, bed.clock.instant()));
            bed.engine.finish(execution, WorkflowEngine.Status.SUCCEEDED, null, null);

            JsonNode status = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));

            assertThat(status.path("status").asText()).isEqualTo("completed_degraded");
            assertThat(status.path("result").path("degradations")).hasSize(1);
        }

        @Test
        void aStepSkippedWhileTheStoreWasDown_andSoNeverRecorded_stillMakesTheCampaignCompletedDegraded() {
            // the editor and its fallback failed in a store outage: the execution went on through editor_skipped, but
            // neither run could record the skip
            String execution = campaign.path("workflow_execution_id").asText();
            bed.engine.finish(execution, WorkflowEngine.Status.SUCCEEDED, """
                    {"results": {"planner": {"status": "completed"}, "editor": {"status": "skipped",
                     "checkpoint_id": null}}}""", null, null);

            JsonNode status = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));
            JsonNode listed = json(bed.call("GET", "/campaigns", null, NORTHWIND_KEY)).path("campaigns").get(0);

            assertThat(status.path("status").asText()).isEqualTo("completed_degraded");
            assertThat(status.path("result").path("status").asText()).isEqualTo("completed_degraded");
            assertThat(status.path("result").path("limitations").toString())
                    .contains("editor: skipped: its agent and any fallback failed, and the failure could not be recorded");
            assertThat(listed.path("status").asText()).isEqualTo("completed_degraded");
        }

        @Test
        void theStatusOfADegradedCampaign_andTheCampaignList_queryThePerformanceTableOnce() {
            bed.services.health().recordDegradation(new DegradationEvent("camp-1", workflowId, "researcher",
                    "researcher", "basic_research", "researcher failed: no sources", bed.clock.instant()));
            String execution = campaign.path("workflow_execution_id").asText();
            bed.services.performance().record("camp-1", new AgentPerformance(execution, "basic_research", "researcher",
                    40, true, workflowId + "/checkpoint_002", 0.6, 1000, bed.clock.instant()));
            bed.engine.finish(execution, WorkflowEngine.Status.SUCCEEDED, null, null);
            bed.storeCalls.clear();

            JsonNode status = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));

            // degradation, agents executed, quality score and the table's readability come from one query
            assertThat(status.path("result").path("degradations")).hasSize(1);
            assertThat(bed.storeCalls).containsEntry("AGENT_PERFORMANCE_TABLE.query", 1);

            bed.storeCalls.clear();
            JsonNode listed = json(bed.call("GET", "/campaigns", null, NORTHWIND_KEY)).path("campaigns").get(0);

            assertThat(listed.path("status").asText()).isEqualTo("completed_degraded");
            assertThat(bed.storeCalls).containsEntry("AGENT_PERFORMANCE_TABLE.query", 1);
        }

        @Test
        void theResultOfAnExecutionThatFailedInAParallelPhase_keepsWhatTheOtherBranchesCompleted() {
            bed.checkpoint(campaign, "researcher_b", List.of("planner", "researcher_b"), 25);
            ObjectNode plannerOnly = ApiTestbed.JSON.createObjectNode();
            plannerOnly.putObject("planner").put("agent", "planner");
            // researcher_c fails last: its error_recovery checkpoint holds the planner only
            bed.services.checkpoints().create(new NewCheckpoint(workflowId, "camp-1", workflowId, "researcher_c",
                    "basic_research", "agent_researcher_c_failed", CheckpointType.ERROR_RECOVERY, CheckpointStatus.FAILED,
                    new StateData(List.of("planner"), List.of("researcher_c"), plannerOnly, 13), "retry researcher_c",
                    List.of("continue", "retry"), 0, "basic_research failed", 3));
            fail();

            JsonNode result = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY)).path("result");

            assertThat(result.path("status").asText()).isEqualTo("failed");
            assertThat(result.path("intermediate_results").path("researcher_b").path("agent").asText())
                    .isEqualTo("researcher_b");
            assertThat(result.path("agents_executed").toString()).contains("\"planner\"").contains("\"researcher\"");
        }

        @Test
        void aStatusRead_whileTheLastStepSkipsItselfAndTheExecutionEnds_showsTheSkipsLimitation() {
            String execution = campaign.path("workflow_execution_id").asText();
            // between the status's read of the campaign and of its execution: the last, optional step fails and is
            // skipped (event, then limitation), and the execution ends
            bed.engine.beforeNextDescribe(() -> {
                bed.services.health().recordDegradation(new DegradationEvent("camp-1", workflowId, "distribution",
                        "distribution", DegradationEvent.SKIPPED, "distribution failed", bed.clock.instant()));
                bed.services.campaigns().recordDegradation("camp-1", "distribution: distribution ",
                        "failed and the optional step was skipped (distribution failed)");
                bed.engine.finish(execution, WorkflowEngine.Status.SUCCEEDED, null, null);
            });

            JsonNode status = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));

            assertThat(status.path("result").path("degradations")).hasSize(1);
            assertThat(status.path("result").path("limitations").toString())
                    .contains("distribution: distribution failed and the optional step was skipped");
        }

        @Test
        void aReplacementThePlanMade_isToldInThePlansWordsOnly() {
            bed.services.health().recordDegradation(new DegradationEvent("camp-1", workflowId, "researcher",
                    "researcher", "basic_research", "researcher was unavailable when the campaign was planned",
                    bed.clock.instant()));

            JsonNode status = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));

            assertThat(status.path("limitations").toString()).doesNotContain("researcher: ");
        }

        @Test
        void whileAParallelPhaseRuns_aBranchItsExecutionRanForReal_isNoLongerReportedReplaced() {
            // researcher_b was replaced by an earlier execution; this one ran it for real, and researcher_c
            // checkpointed last (a branch's checkpoint holds its own branch only)
            bed.services.health().recordDegradation(new DegradationEvent("camp-1", workflowId, "researcher_b",
                    "researcher", "basic_research", "researcher failed", bed.clock.instant()));
            bed.services.campaigns().recordDegradation("camp-1", "researcher_b: researcher ",
                    "was replaced by basic_research (researcher failed)");
            bed.clock.advance(Duration.ofSeconds(5));
            CheckpointEntry b = bed.checkpoint(campaign, "researcher_b", List.of("planner", "researcher_b"), 38);
            bed.services.performance().record("camp-1", new AgentPerformance(workflowId, "researcher", "researcher_b",
                    40, true, b.checkpointId(), 0.8, 1000, bed.clock.instant()));
            bed.services.campaigns().undoDegradation("camp-1", "researcher_b"); // as the agent runtime does
            bed.clock.advance(Duration.ofSeconds(1));
            bed.checkpoint(campaign, "researcher_c", List.of("planner", "researcher_c"), 50);

            JsonNode status = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));

            assertThat(status.path("status").asText()).isEqualTo("running");
            assertThat(status.path("limitations").toString()).doesNotContain("researcher_b");
        }

        @Test
        void aSkippedStep_whoseOutputALaterResumeBroughtBack_isNoLongerReportedSkipped() {
            bed.services.health().recordDegradation(new DegradationEvent("camp-1", workflowId, "writer", "writer",
                    DegradationEvent.SKIPPED, "skipped when resuming from " + workflowId + "/checkpoint_002",
                    bed.clock.instant()));
            bed.services.campaigns().recordDegradation("camp-1", "writer: writer ", "was skipped (skipped when resuming)");
            String execution = campaign.path("workflow_execution_id").asText();
            bed.engine.finish(execution, WorkflowEngine.Status.SUCCEEDED, null, null);
            JsonNode skipped = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));
            assertThat(skipped.path("status").asText()).isEqualTo("completed_degraded");
            assertThat(skipped.path("result").path("degradations")).hasSize(1);

            // a resume from a checkpoint written before the skip: the writer's output is in the content again
            bed.clock.advance(Duration.ofSeconds(5));
            bed.checkpoint(campaign, "writer", List.of("planner", "researcher", "writer"), 50);

            JsonNode back = json(bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY));
            assertThat(back.path("status").asText()).isEqualTo("completed");
            assertThat(back.path("result").has("degradations")).isFalse();
            assertThat(back.path("limitations").toString()).doesNotContain("writer was skipped");
            JsonNode listed = json(bed.call("GET", "/campaigns", null, NORTHWIND_KEY)).path("campaigns").get(0);
            assertThat(listed.path("status").asText()).isEqualTo("completed");
        }

        @Test
        void resumeAndRedrive_whileTheCheckpointStoresCircuitIsOpen_areRefusedUpFront_beforeReadingACheckpoint() {
            fail();
            for (int i = 0; i < 5; i++) {
                bed.services.health().recordFailure("checkpoint_store", "NoSuchBucket");
            }
            bed.down.add(ApiTestbed.BLOBS);
            String before = bed.state();

            APIGatewayProxyResponseEvent resume = bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_002",
                    "{\"action\":\"retry\"}", NORTHWIND_KEY);
            APIGatewayProxyResponseEvent redrive = bed.call("POST", "/workflows/" + workflowId + "/redrive", null,
                    NORTHWIND_KEY);

            for (APIGatewayProxyResponseEvent response : List.of(resume, redrive)) {
                assertError(response, 503, "campaign_refused");
                assertThat(json(response).path("message").asText()).contains("checkpoint store is unavailable");
                assertThat(response.getHeaders()).containsKey("Retry-After");
            }
            assertThat(bed.engine.redrives()).isEmpty();
            bed.down.clear();
            assertThat(bed.state()).isEqualTo(before);
        }

        @Test
        void aStoreThatDoesNotAnswer_is503StoreUnavailable_withRetryAfter_andWithoutItsDetails() {
            bed.down.add(ApiTestbed.BLOBS);

            APIGatewayProxyResponseEvent response = bed.call("GET", "/workflows/" + workflowId + "/checkpoints", null,
                    NORTHWIND_KEY);

            assertError(response, 503, "store_unavailable");
            assertThat(response.getHeaders()).containsEntry("Retry-After", "30");
            assertThat(json(response).path("request_id").asText()).isNotBlank();
            assertThat(json(response).path("message").asText()).doesNotContain("outage").doesNotContain("blobs");
        }

        @Test
        void aPerformanceTableThatDoesNotAnswer_leavesTheCampaignReadable_andTheResultSaysWhatIsMissing() {
            fail();
            bed.down.add("AGENT_PERFORMANCE_TABLE");

            APIGatewayProxyResponseEvent status = bed.call("GET", "/campaigns/camp-1", null, NORTHWIND_KEY);
            assertThat(status.getStatusCode()).as(status.getBody()).isEqualTo(200);
            assertThat(json(status).path("result").path("limitations").toString())
                    .contains("the agents' performance records cannot be read now");
            assertThat(bed.call("GET", "/campaigns", null, NORTHWIND_KEY).getStatusCode()).isEqualTo(200);
            assertError(bed.call("GET", "/campaigns/camp-1/performance", null, NORTHWIND_KEY), 503, "store_unavailable");
        }

        @Test
        void redrive_ofARunningExecution_orOneStepFunctionsRefuses_isAConflict() {
            assertError(bed.call("POST", "/workflows/" + workflowId + "/redrive", null, NORTHWIND_KEY), 409, "conflict");
            fail();
            bed.engine.refuseRedrive();
            assertError(bed.call("POST", "/workflows/" + workflowId + "/redrive", "{}", NORTHWIND_KEY), 409, "conflict");
            assertError(bed.call("POST", "/workflows/" + workflowId + "/redrive", "{\"force\":true}", NORTHWIND_KEY),
                    400, "invalid_request");
            assertThat(bed.engine.redrives()).isEmpty();
        }
    }

    @Nested
    class TenantIsolation {

        @Test
        void anotherTenant_getsNotFoundForEverythingOfTheCampaign_andChangesNothing() {
            JsonNode campaign = bed.create("camp-1", NORTHWIND_KEY);
            String workflowId = campaign.path("workflow_id").asText();
            bed.checkpoint(campaign, "planner", List.of("planner"), 17);
            bed.engine.finish(campaign.path("workflow_execution_id").asText(), WorkflowEngine.Status.FAILED, "x", "y");
            String before = bed.state();

            assertError(bed.call("GET", "/campaigns/camp-1", null, GLOBEX_KEY), 404, "not_found");
            assertError(bed.call("GET", "/campaigns/camp-1/performance", null, GLOBEX_KEY), 404, "not_found");
            assertError(bed.call("POST", "/campaigns/camp-1/rerun", "{\"agents\":[\"planner\"]}", GLOBEX_KEY), 404, "not_found");
            assertError(bed.call("GET", "/workflows/" + workflowId + "/checkpoints", null, GLOBEX_KEY), 404, "not_found");
            assertError(bed.call("POST", "/workflows/" + workflowId + "/checkpoints/manual", null, GLOBEX_KEY), 404, "not_found");
            assertError(bed.call("POST", "/workflows/resume/" + workflowId + "%2Fcheckpoint_001",
                    "{\"action\":\"continue\"}", GLOBEX_KEY), 404, "not_found");
            assertError(bed.call("POST", "/workflows/" + workflowId + "/redrive", null, GLOBEX_KEY), 404, "not_found");
            assertThat(bed.state()).isEqualTo(before);
            assertThat(json(bed.call("GET", "/campaigns", null, GLOBEX_KEY)).path("campaigns")).isEmpty();
        }

        @Test
        void authorizerTenant_winsOverTheKeyHeader() {
            bed.create("camp-1", NORTHWIND_KEY);
            APIGatewayProxyRequestEvent event = request("GET", "/campaigns/camp-1", null, NORTHWIND_KEY);
            event.getRequestContext().setAuthorizer(java.util.Map.of("principalId", "globex", "tenant", "globex"));

            assertError(bed.call(event), 404, "not_found");
        }
    }

    static Stream<Arguments> hostileCheckpointIds() {
        return Stream.of(
                Arguments.of("dot-dot traversal", "..%2F..%2Fetc%2Fpasswd", 400),
                Arguments.of("plain traversal", "../../etc/passwd", 400),
                Arguments.of("encoded dots", "%2e%2e%2f%2e%2e%2fsecrets", 400),
                Arguments.of("double-encoded dots", "%252e%252e%252fsecrets", 400),
                Arguments.of("double-encoded slash", "WF%252Fcheckpoint_001", 400),
                Arguments.of("absolute path", "%2Fetc%2Fpasswd", 400),
                Arguments.of("backslash", "wf-abc%5Ccheckpoint_001", 400),
                Arguments.of("NUL byte", "wf-abc%00%2Fcheckpoint_001", 400),
                Arguments.of("newline", "wf-abc%0A%2Fcheckpoint_001", 400),
                Arguments.of("over-long", "wf-" + "a".repeat(120) + "%2Fcheckpoint_001", 400),
                Arguments.of("malformed escape", "wf-abc%zz", 400),
                Arguments.of("invalid UTF-8", "wf-abc%C3%28", 400),
                Arguments.of("checkpoint zero", "WF%2Fcheckpoint_000", 400),
                Arguments.of("not a checkpoint", "WF%2Fmetadata.json", 400),
                Arguments.of("unknown workflow", "wf-0123456789abcdef01234567%2Fcheckpoint_001", 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileCheckpointIds")
    void hostileCheckpointIds_areRefusedAndChangeNothing(String label, String rawId, int status) {
        JsonNode campaign = bed.create("camp-1", NORTHWIND_KEY);
        String workflowId = campaign.path("workflow_id").asText();
        bed.checkpoint(campaign, "planner", List.of("planner"), 17);
        bed.engine.finish(campaign.path("workflow_execution_id").asText(), WorkflowEngine.Status.FAILED, "x", "y");
        String before = bed.state();

        APIGatewayProxyResponseEvent response = bed.call("POST", "/workflows/resume/" + rawId.replace("WF", workflowId),
                "{\"action\":\"continue\"}", NORTHWIND_KEY);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(json(response).path("error").asText()).isNotBlank();
        assertThat(bed.state()).isEqualTo(before);
    }

    @Test
    void hostileWorkflowIds_inWorkflowRoutes_areRefused() {
        for (String id : List.of("..", "%2e%2e", "wf-ABC", "wf-a%2F..%2Fb", "wf-" + "a".repeat(70))) {
            APIGatewayProxyResponseEvent response = bed.call("GET", "/workflows/" + id + "/checkpoints", null, NORTHWIND_KEY);
            assertThat(response.getStatusCode()).as(id + " " + response.getBody()).isIn(400, 404);
        }
        assertError(bed.call("GET", "/workflows/wf-ABC/checkpoints", null, NORTHWIND_KEY), 400, "invalid_workflow_id");
        assertError(bed.call("POST", "/workflows/wf-BAD/redrive", "{}", NORTHWIND_KEY), 400, "invalid_workflow_id");
        assertError(bed.call("POST", "/workflows/resume/wf-BAD%2Fcheckpoint_001", "{\"action\":\"continue\"}",
                NORTHWIND_KEY), 400, "invalid_checkpoint_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"api-create-campaign.json", "api-get-campaign.json", "api-list-checkpoints.json",
            "api-resume-from-checkpoint.json", "api-redrive-workflow.json", "api-health-status.json"})
    void everySampleEvent_reachesItsRoute(String file) {
        APIGatewayProxyResponseEvent response = bed.call(ApiTestbed.event(file, APIGatewayProxyRequestEvent.class));

        assertThat(response.getStatusCode()).as(response.getBody()).isNotIn(401, 405, 413, 415, 500);
        assertThat(json(response).path("message").asText()).doesNotStartWith("no route");
    }

    @Test
    void systemStatus_routesAnswer() {
        bed.services.health().recordFailure("editor", "timeout");

        JsonNode health = json(bed.call("GET", "/system/health-status", null, NORTHWIND_KEY));
        JsonNode degradation = json(bed.call("GET", "/system/degradation-status", null, GLOBEX_KEY));

        assertThat(health.path("services").findValuesAsText("service_name")).contains("editor");
        assertThat(degradation.path("accepting_campaigns").asBoolean()).isTrue();
        assertThat(degradation.path("degraded_services").findValuesAsText("service_name")).containsExactly("editor");
    }

    @Test
    void systemStatus_ofAHalfOpenCircuit_isCritical_asPlanningCountsIt() {
        for (int i = 0; i < 10; i++) {
            bed.services.health().recordFailure("writer", "timeout");
        }
        assertThat(json(bed.call("GET", "/system/degradation-status", null, NORTHWIND_KEY)).path("degraded_services")
                .findValuesAsText("health_status")).containsExactly("unavailable");
        bed.clock.advance(java.time.Duration.ofDays(1)); // past the recovery time: the next campaign may probe it

        JsonNode degradation = json(bed.call("GET", "/system/degradation-status", null, NORTHWIND_KEY));
        JsonNode health = json(bed.call("GET", "/system/health-status", null, NORTHWIND_KEY));

        assertThat(degradation.path("accepting_campaigns").asBoolean()).isTrue();
        assertThat(degradation.path("degraded_services").findValuesAsText("health_status")).containsExactly("critical");
        assertThat(health.path("services").findValuesAsText("health_status")).contains("critical")
                .doesNotContain("unavailable");
    }

    @Test
    void degradationStatus_namesTheContentTypesRefusedNow_whileOthersAreStillAccepted() {
        for (int i = 0; i < 5; i++) {
            bed.services.health().recordFailure("researcher", "down");
            bed.services.health().recordFailure("basic_research", "down");
        }

        JsonNode degradation = json(bed.call("GET", "/system/degradation-status", null, NORTHWIND_KEY));

        assertThat(degradation.path("accepting_campaigns").asBoolean()).as("social_media and email need no research")
                .isTrue();
        assertThat(degradation.path("refused_content_types").findValuesAsText("content_type"))
                .contains("blog_post").doesNotContain("social_media", "email");
        assertThat(degradation.path("refused_content_types").get(0).path("reason").asText())
                .contains("researcher or its fallback basic_research");
        // what a create of the refused type gets is what the status said
        String blogPost = ApiTestbed.campaignBody("camp-refused").replaceFirst("\"content_type\"\\s*:\\s*\"[a-z_]+\"",
                "\"content_type\":\"blog_post\"");
        assertThat(blogPost).contains("\"content_type\":\"blog_post\"");
        assertThat(bed.call("POST", "/campaigns", blogPost, NORTHWIND_KEY).getStatusCode()).isEqualTo(503);
    }

    @Test
    void degradationStatus_withTheWriterDown_acceptsNoCampaign() {
        for (int i = 0; i < 5; i++) {
            bed.services.health().recordFailure("writer", "down");
        }

        JsonNode degradation = json(bed.call("GET", "/system/degradation-status", null, NORTHWIND_KEY));

        assertThat(degradation.path("accepting_campaigns").asBoolean()).isFalse();
        assertThat(degradation.path("refused_content_types")).hasSize(
                com.campaignflow.functions.planning.MinimalViableWorkflow.CONTENT_TYPES.size());
    }

    @Test
    void anOptionalStepLeftOutAtPlanning_isADegradationEvent_asWhenItIsSkippedDuringTheRun() {
        for (int i = 0; i < 5; i++) {
            bed.services.health().recordFailure("distribution", "down");
        }

        assertThat(bed.call("POST", "/campaigns", ApiTestbed.campaignBody("camp-left-out"), NORTHWIND_KEY)
                .getStatusCode()).isEqualTo(202);

        assertThat(bed.services.health().degradationEvents("camp-left-out")).singleElement().satisfies(e -> {
            assertThat(e.stepId()).isEqualTo("distribution");
            assertThat(e.replacedBy()).isEqualTo(com.campaignflow.functions.health.DegradationEvent.SKIPPED);
            assertThat(e.reason()).isEqualTo("distribution was unavailable when the campaign was planned");
        });
    }

    @Test
    void healthStatus_beforeAnyCheck_listsEveryAgentAndTheCheckpointStore_asPlanningSeesThem() {
        JsonNode health = json(bed.call("GET", "/system/health-status", null, NORTHWIND_KEY));

        assertThat(health.path("services").findValuesAsText("service_name")).contains("planner", "researcher",
                "writer", "editor", "seo", "distribution", "basic_research", "basic_qa", "checkpoint_store");
        assertThat(health.path("services")).allSatisfy(service -> {
            assertThat(service.path("health_status").asText()).isEqualTo("healthy");
            assertThat(service.path("last_check").isNull()).as("not checked yet").isTrue();
        });
        assertThat(health.path("degradation_level").asText()).isEqualTo("none");
    }
}
