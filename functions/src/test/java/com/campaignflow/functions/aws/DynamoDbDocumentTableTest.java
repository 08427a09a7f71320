package com.campaignflow.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/** How conditional writes read DynamoDB's answers (scripted: the emulator cannot lose a response). */
class DynamoDbDocumentTableTest {

    /** A client whose PutItem fails its condition against the item {@code stored} makes of the request's item. */
    private static final class FailedCondition implements DynamoDbClient {
        final List<PutItemRequest> requests = new ArrayList<>();
        final Function<Map<String, AttributeValue>, Map<String, AttributeValue>> stored;

        FailedCondition(Function<Map<String, AttributeValue>, Map<String, AttributeValue>> stored) {
            this.stored = stored;
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            requests.add(request);
            throw ConditionalCheckFailedException.builder().message("The conditional request failed")
                    .item(stored.apply(request.item())).build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private static ObjectNode item() {
        return new ObjectMapper().createObjectNode().put("pk", "camp-1").put("sk", "record").put("status", "starting");
    }

    @Test
    void aFailedCondition_againstTheItemThisPutWrote_isItsOwnRetriedWrite_andCountsAsWritten() {
        FailedCondition ownRetry = new FailedCondition(Function.identity());

        assertThat(new DynamoDbDocumentTable(ownRetry, "campaigns").putIfVersion(item(), 4)).isTrue();
        assertThat(ownRetry.requests).singleElement().satisfies(r -> assertThat(r.returnValuesOnConditionCheckFailure())
                .isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    }

    @Test
    void aFailedCondition_againstAnotherWritersItem_isLost() {
        // another writer's item: equal to this one but for the token, as two writers' increments of one counter are
        FailedCondition other = new FailedCondition(mine -> {
            Map<String, AttributeValue> theirs = new java.util.HashMap<>(mine);
            theirs.put(DynamoDbDocumentTable.WRITE_TOKEN, AttributeValue.fromS("another writer's token"));
            return theirs;
        });

        assertThat(new DynamoDbDocumentTable(other, "campaigns").putIfAbsent(item())).isFalse();
        assertThat(new DynamoDbDocumentTable(new FailedCondition(mine -> Map.of()), "campaigns").putIfAbsent(item()))
                .as("no item returned").isFalse();
    }
}
