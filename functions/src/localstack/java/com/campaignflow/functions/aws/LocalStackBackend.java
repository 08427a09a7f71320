package com.campaignflow.functions.aws;

import java.util.Map;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The LocalStack backend of {@link AwsEmulator} ({@code -Plocalstack} only): one LocalStack container with S3,
 * DynamoDB and Step Functions, started through Testcontainers with {@code LOCALSTACK_AUTH_TOKEN} passed in. The image
 * is {@code localstack/localstack:latest} unless {@code -Dlocalstack.image=...} pins another. The access key is the
 * 12-digit account id, which LocalStack adopts, so ARNs match the moto runs (account 123456789012).
 */
public final class LocalStackBackend implements EmulatorBackend {

    static final String DEFAULT_IMAGE = "localstack/localstack:latest";
    private static final String ACCOUNT = "123456789012";

    @Override
    public String name() {
        return "LocalStack";
    }

    @Override
    public Optional<String> unavailableReason() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return Optional.of("no Docker engine is reachable (Testcontainers looked at DOCKER_HOST, "
                    + "/var/run/docker.sock and ~/.testcontainers.properties); start Docker and run with -Plocalstack again");
        }
        return Optional.empty();
    }

    @Override
    public Started start() {
        String image = System.getProperty("localstack.image", DEFAULT_IMAGE);
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("localstack/localstack"))
                .withServices("s3", "dynamodb", "stepfunctions")
                .withEnv(AwsEmulator.TOKEN_VARIABLE, System.getenv(AwsEmulator.TOKEN_VARIABLE));
        container.start();
        Map<String, String> environment = Map.of(
                "AWS_REGION", container.getRegion(),
                "AWS_ENDPOINT_URL", container.getEndpoint().toString(),
                "AWS_ACCESS_KEY_ID", ACCOUNT,
                "AWS_SECRET_ACCESS_KEY", container.getSecretKey());
        return new Started() {
            @Override
            public Map<String, String> environment() {
                return environment;
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }
}
