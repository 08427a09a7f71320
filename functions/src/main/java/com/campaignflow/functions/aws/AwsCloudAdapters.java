package com.campaignflow.functions.aws;

import com.campaignflow.functions.handlers.CloudAdapters;
import com.campaignflow.functions.ports.BlobStore;
import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.ports.ProgressPublisher;

/** The production adapters: S3 for checkpoints, DynamoDB for tables, the WebSocket management API for progress. */
public final class AwsCloudAdapters implements CloudAdapters {

    private final AwsClients clients;

    public AwsCloudAdapters(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public BlobStore blobStore(String bucket) {
        return new S3BlobStore(clients.s3(), bucket);
    }

    @Override
    public DocumentTable table(String tableName) {
        return new DynamoDbDocumentTable(clients.dynamoDb(), tableName);
    }

    @Override
    public ProgressPublisher progressPublisher(DocumentTable connections) {
        return new WebSocketProgressPublisher(clients.webSocket(), connections);
    }
}
