package com.campaignflow.local.cloud;

import com.campaignflow.functions.aws.AwsClients;
import com.campaignflow.functions.checkpoints.CheckpointIds;
import com.campaignflow.functions.handlers.Services;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/**
 * The bucket and tables of {@code --aws-endpoint} mode: the same names every function gets, created on the endpoint
 * (moto, LocalStack) when missing, with the key schema template.yaml gives the real tables (string pk and sk).
 */
final class AwsEndpointResources {

    /** Variable → name on the endpoint, for every function. */
    static final Map<String, String> NAMES;

    static {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("CHECKPOINT_BUCKET", "campaignflow-local-checkpoints");
        names.put("CAMPAIGNS_TABLE", "campaignflow-local-campaigns");
        names.put("SERVICE_HEALTH_TABLE", "campaignflow-local-service-health");
        names.put("AGENT_PERFORMANCE_TABLE", "campaignflow-local-agent-performance");
        names.put("CONNECTIONS_TABLE", "campaignflow-local-connections");
        names.put("IDEMPOTENCY_TABLE", "campaignflow-local-idempotency");
        NAMES = Map.copyOf(names);
    }

    private AwsEndpointResources() {
    }

    /**
     * Creates the bucket and the tables on {@code endpoint} unless they exist, with what template.yaml gives the real
     * ones and the functions rely on: the bucket's rule expiring checkpoints/ after {@code checkpointRetentionDays}, and
     * time to live on {@code expires_at} in the tables whose items expire (an endpoint that applies them, as LocalStack
     * does, then removes what AWS would).
     */
    static void ensure(String endpoint, int checkpointRetentionDays) {
        Map<String, String> env = Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local", "AWS_ENDPOINT_URL", endpoint);
        AwsClients clients = AwsClients.fromEnvironment(name -> Optional.ofNullable(env.get(name)));
        S3Client s3 = clients.s3();
        try {
            s3.createBucket(b -> b.bucket(NAMES.get("CHECKPOINT_BUCKET")));
        } catch (BucketAlreadyOwnedByYouException e) {
            // created by an earlier run
        }
        s3.putBucketLifecycleConfiguration(l -> l.bucket(NAMES.get("CHECKPOINT_BUCKET")).lifecycleConfiguration(c -> c
                .rules(LifecycleRule.builder().id("ExpireOldCheckpoints").status(ExpirationStatus.ENABLED)
                        .filter(f -> f.prefix(CheckpointIds.PREFIX))
                        .expiration(e -> e.days(checkpointRetentionDays)).build())));
        DynamoDbClient dynamoDb = clients.dynamoDb();
        NAMES.forEach((variable, name) -> {
            if (!variable.endsWith("_TABLE")) {
                return;
            }
            try {
                dynamoDb.createTable(t -> t.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(attribute("pk"), attribute("sk"))
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
            } catch (ResourceInUseException e) {
                // created by an earlier run
            }
            if (Services.TTL_TABLES.contains(variable) && dynamoDb.describeTimeToLive(d -> d.tableName(name))
                    .timeToLiveDescription().timeToLiveStatus() != TimeToLiveStatus.ENABLED) {
                dynamoDb.updateTimeToLive(u -> u.tableName(name).timeToLiveSpecification(t -> t
                        .attributeName(Services.TTL_ATTRIBUTE).enabled(true)));
            }
        });
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
