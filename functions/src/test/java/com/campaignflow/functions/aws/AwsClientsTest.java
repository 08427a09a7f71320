package com.campaignflow.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class AwsClientsTest {

    private static AwsClients clients(Map<String, String> env) {
        return AwsClients.fromEnvironment(name -> Optional.ofNullable(env.get(name)));
    }

    @Test
    void serviceSpecificEndpoint_winsOverTheGeneralOne() {
        AwsClients clients = clients(Map.of("AWS_REGION", "eu-west-1",
                "AWS_ENDPOINT_URL", "http://localhost:4566", "AWS_ENDPOINT_URL_SFN", "http://localhost:8083"));

        assertThat(clients.endpointOverride("SFN")).contains(URI.create("http://localhost:8083"));
        assertThat(clients.endpointOverride("dynamodb")).contains(URI.create("http://localhost:4566"));
        assertThat(clients.sfn().serviceClientConfiguration().endpointOverride()).contains(URI.create("http://localhost:8083"));
        assertThat(clients.region()).isEqualTo(Region.EU_WEST_1);
    }

    @Test
    void withAnEndpointOverride_s3UsesPathStyleAddressing() {
        AwsClients clients = clients(Map.of("AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", "http://127.0.0.1:5000",
                "AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"));

        var url = clients.s3().utilities().getUrl(g -> g.bucket("checkpoints").key("checkpoints/wf-1/metadata.json"));

        assertThat(url.toString()).isEqualTo("http://127.0.0.1:5000/checkpoints/checkpoints/wf-1/metadata.json");
    }

    @Test
    void withoutOverrides_theRegionalAwsEndpointsAreUsed() {
        AwsClients clients = clients(Map.of("AWS_REGION", "us-west-2"));

        assertThat(clients.endpointOverride("S3")).isEmpty();
        assertThat(clients.dynamoDb().serviceClientConfiguration().endpointOverride()).isEmpty();
        var url = clients.s3().utilities().getUrl(g -> g.bucket("checkpoints").key("k"));
        assertThat(url.getHost()).isEqualTo("checkpoints.s3.us-west-2.amazonaws.com");
    }

    @Test
    void storeAndEngineCalls_areBoundedInTime_soAStalledConnectionCannotOutlastTheApiFunction() {
        AwsClients clients = clients(Map.of("AWS_REGION", "us-east-1", "WEBSOCKET_ENDPOINT", "https://ws.example.com/prod"));

        for (var configuration : java.util.List.of(clients.s3().serviceClientConfiguration(),
                clients.dynamoDb().serviceClientConfiguration(), clients.sfn().serviceClientConfiguration(),
                clients.webSocket().serviceClientConfiguration())) {
            assertThat(configuration.overrideConfiguration().apiCallTimeout()).contains(java.time.Duration.ofSeconds(20));
            assertThat(configuration.overrideConfiguration().apiCallAttemptTimeout())
                    .contains(java.time.Duration.ofSeconds(10));
        }
    }

    @Test
    void clientsAreBuiltOncePerContainer() {
        AwsClients clients = clients(Map.of("AWS_REGION", "us-east-1"));

        assertThat(clients.dynamoDb()).isSameAs(clients.dynamoDb());
        assertThat(clients.s3()).isSameAs(clients.s3());
    }

    @Test
    void missingRegion_isAClearError() {
        assertThatThrownBy(() -> clients(Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS_REGION");
    }

    @Test
    void webSocketClient_needsTheApiEndpoint() {
        assertThatThrownBy(() -> clients(Map.of("AWS_REGION", "us-east-1")).webSocket())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("WEBSOCKET_ENDPOINT");
        var webSocket = clients(Map.of("AWS_REGION", "us-east-1",
                "WEBSOCKET_ENDPOINT", "https://abc123.execute-api.us-east-1.amazonaws.com/prod")).webSocket();
        assertThat(webSocket.serviceClientConfiguration().endpointOverride())
                .contains(URI.create("https://abc123.execute-api.us-east-1.amazonaws.com/prod"));
    }

    @Test
    void snapStartHook_registersOnAnyJvm_once() {
        SnapStartPriming.register();
        SnapStartPriming.register();
    }
}
