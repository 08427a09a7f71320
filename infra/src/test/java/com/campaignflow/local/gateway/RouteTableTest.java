package com.campaignflow.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.local.template.RestRoute;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static RestRoute route(String method, String path, String function) {
        return new RestRoute(method, path, function, Optional.empty());
    }

    private final RouteTable table = new RouteTable(List.of(
            route("ANY", "/{proxy+}", "Fallback"),
            route("GET", "/workflows/{id}/checkpoints", "Checkpoints"),
            route("POST", "/workflows/{id}/checkpoints/manual", "Manual"),
            route("POST", "/workflows/resume/{checkpointId}", "Resume"),
            route("GET", "/workflows/{id}", "Workflow"),
            route("ANY", "/workflows/{id}", "WorkflowAny"),
            route("GET", "/system/health-status", "Health")));

    @Test
    void literalSegmentsBeatParameters_whichBeatTheGreedyProxy() {
        RouteTable.Found resume = found("POST", "/workflows/resume/wf-1%2Fcheckpoint_002");
        assertThat(resume.route().functionLogicalId()).isEqualTo("Resume");
        assertThat(resume.pathParameters()).isEqualTo(Map.of("checkpointId", "wf-1/checkpoint_002"));
        assertThat(found("GET", "/workflows/wf-1/checkpoints").route().functionLogicalId()).isEqualTo("Checkpoints");
        assertThat(found("GET", "/system/health-status").route().functionLogicalId()).isEqualTo("Health");
        assertThat(found("DELETE", "/anything/else").pathParameters()).containsEntry("proxy", "anything/else");
    }

    @Test
    void methodSpecificRouteBeatsAny_onTheSameResource() {
        assertThat(found("GET", "/workflows/wf-1").route().functionLogicalId()).isEqualTo("Workflow");
        assertThat(found("DELETE", "/workflows/wf-1").route().functionLogicalId()).isEqualTo("WorkflowAny");
    }

    @Test
    void knownPathWithAnotherMethod_andUnknownPath_areNotFound() {
        RouteTable withoutProxy = new RouteTable(List.of(route("GET", "/system/health-status", "Health")));

        assertThat(withoutProxy.lookup("POST", "/system/health-status")).isEqualTo(new RouteTable.NotFound());
        assertThat(withoutProxy.lookup("GET", "/system")).isEqualTo(new RouteTable.NotFound());
        assertThat(withoutProxy.lookup("GET", "/system/health-status/extra")).isEqualTo(new RouteTable.NotFound());
        assertThat(withoutProxy.knowsPath("/system/health-status/")).isTrue();
    }

    @Test
    void iamWildcards_matchMethodArns() {
        String arn = "arn:aws:execute-api:us-east-1:000000000000:local/Prod/GET/workflows/wf-1";

        assertThat(LambdaAuthorizers.matches("arn:aws:execute-api:us-east-1:000000000000:local/*", arn)).isTrue();
        assertThat(LambdaAuthorizers.matches("arn:aws:execute-api:us-east-1:000000000000:local/Prod/?ET/*", arn)).isTrue();
        assertThat(LambdaAuthorizers.matches("arn:aws:execute-api:us-east-1:000000000000:local/Prod/POST/*", arn)).isFalse();
        assertThat(LambdaAuthorizers.matches("arn:aws:execute-api:us-east-1:000000000000:local/Prod/GET/workflows", arn)).isFalse();
    }

    private RouteTable.Found found(String method, String path) {
        return (RouteTable.Found) table.lookup(method, path);
    }
}
