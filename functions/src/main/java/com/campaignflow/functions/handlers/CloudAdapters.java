package com.campaignflow.functions.handlers;

import com.campaignflow.functions.ports.BlobStore;
import com.campaignflow.functions.ports.DocumentTable;
import com.campaignflow.functions.ports.ProgressPublisher;

/**
 * The AWS adapters of the ports, used by {@link Services} when {@code CAMPAIGNFLOW_DATA_DIR} is not set
 * ({@link com.campaignflow.functions.aws.AwsCloudAdapters}, over SDK clients built once per container).
 */
public interface CloudAdapters {

    /** S3 bucket {@code bucket} (CHECKPOINT_BUCKET). */
    BlobStore blobStore(String bucket);

    /** DynamoDB table {@code tableName}. */
    DocumentTable table(String tableName);

    /** The WebSocket publisher (WEBSOCKET_ENDPOINT), pushing to the connections stored in {@code connections}. */
    ProgressPublisher progressPublisher(DocumentTable connections);
}
