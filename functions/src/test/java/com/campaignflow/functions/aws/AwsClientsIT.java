package com.campaignflow.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AwsEmulator.class)
class AwsClientsIT {

    @Test
    void prime_warmsTheConfiguredResources_andToleratesMissingOnes() {
        String bucket = "prime-" + UUID.randomUUID();
        AwsEmulator.clients().s3().createBucket(b -> b.bucket(bucket));
        Map<String, String> env = new java.util.HashMap<>(AwsEmulator.environment());
        env.putAll(Map.of(
                "CHECKPOINT_BUCKET", bucket,
                "CAMPAIGNS_TABLE", "table-that-does-not-exist",
                "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:missing"));
        AwsClients clients = AwsClients.fromEnvironment(name -> Optional.ofNullable(env.get(name)));

        assertThatCode(clients::prime).doesNotThrowAnyException();
        assertThat(clients.s3().headBucket(h -> h.bucket(bucket)).sdkHttpResponse().isSuccessful()).isTrue();
    }
}
