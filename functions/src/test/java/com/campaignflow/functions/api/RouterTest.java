package com.campaignflow.functions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.api.exceptions.MethodNotAllowedException;
import com.campaignflow.functions.api.exceptions.RouteNotFoundException;
import com.campaignflow.functions.planning.InvalidRequestException;
import org.junit.jupiter.api.Test;

class RouterTest {

    @Test
    void everyRoute_isFoundByItsOwnMethodAndPath() {
        for (ApiRoute route : ApiRoute.values()) {
            String path = route.openApiPath().replace("{campaign_id}", "camp-1").replace("{workflow_id}", "wf-abc")
                    .replace("{checkpoint_id}", "wf-abc%2Fcheckpoint_001");
            assertThat(Router.route(route.method(), path).route()).as(path).isEqualTo(route);
        }
    }

    @Test
    void parameters_areDecodedExactlyOnce() {
        assertThat(Router.route("POST", "/workflows/resume/wf-abc%2Fcheckpoint_002").parameter("checkpoint_id"))
                .isEqualTo("wf-abc/checkpoint_002");
        assertThat(Router.route("POST", "/workflows/resume/wf-abc%252Fcheckpoint_002").parameter("checkpoint_id"))
                .isEqualTo("wf-abc%2Fcheckpoint_002");
        assertThat(Router.route("POST", "/workflows/resume/wf-abc/checkpoint_002").parameter("checkpoint_id"))
                .isEqualTo("wf-abc/checkpoint_002");
        assertThat(Router.route("GET", "/campaigns/a+b").parameter("campaign_id")).isEqualTo("a+b");
        assertThat(Router.route("GET", "/campaigns/caf%C3%A9").parameter("campaign_id")).isEqualTo("café");
    }

    @Test
    void malformedEscapes_areInvalidRequests() {
        assertThatThrownBy(() -> Router.route("GET", "/campaigns/a%2")).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("campaign_id");
        assertThatThrownBy(() -> Router.route("GET", "/campaigns/%FF")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void literalSegments_winOverParameters_andMismatchesAre404Or405() {
        assertThat(Router.route("GET", "/workflows/wf-abc/checkpoints").route()).isEqualTo(ApiRoute.LIST_CHECKPOINTS);
        assertThat(Router.route("GET", "/campaigns/").route()).isEqualTo(ApiRoute.LIST_CAMPAIGNS);
        assertThatThrownBy(() -> Router.route("GET", "/campaigns//rerun")).isInstanceOf(RouteNotFoundException.class);
        assertThatThrownBy(() -> Router.route("PUT", "/campaigns/x"))
                .isInstanceOfSatisfying(MethodNotAllowedException.class, e -> assertThat(e.allowed()).containsExactly("GET"));
        assertThatThrownBy(() -> Router.route("GET", "/workflows/resume/x"))
                .isInstanceOfSatisfying(MethodNotAllowedException.class, e -> assertThat(e.allowed()).containsExactly("POST"));
    }
}
