package com.campaignflow.local.cloud;

import com.campaignflow.functions.aws.AwsClients;
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
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

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

    /** Creates the bucket and the tables on {@code endpoint} unless they exist. */
    static void ensure(String endpoint) {
        Map<String, String> env = Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local", "AWS_ENDPOINT_URL", endpoint);
        AwsClients clients = AwsClients.fromEnvironment(name -> Optional.ofNullable(env.get(name)));
        S3Client s3 = clients.s3();
        try {
            s3.createBucket(b -> b.bucket(NAMES.get("CHECKPOINT_BUCKET")));
        } catch (BucketAlreadyOwnedByYouException e) {
            // created by an earlier run
        }
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
        });
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
