package com.campaignflow.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** How conditional writes read S3's answers (the emulator never answers 409, so a scripted client stands in). */
class S3BlobStoreTest {

    /** An S3 client whose PutObject answers 409 ConditionalRequestConflict {@code conflicts} times, then succeeds. */
    private static final class ConflictingS3 implements S3Client {
        final AtomicInteger calls = new AtomicInteger();
        final int conflicts;

        ConflictingS3(int conflicts) {
            this.conflicts = conflicts;
        }

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            if (calls.incrementAndGet() <= conflicts) {
                throw (S3Exception) S3Exception.builder().statusCode(409).message("ConditionalRequestConflict").build();
            }
            return PutObjectResponse.builder().eTag("\"e\"").build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }

    private static final byte[] DATA = "{}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aConflictWithAWriteInFlight_isRetriedAfterAPause_untilItGoesThrough() {
        ConflictingS3 s3 = new ConflictingS3(3);

        long started = System.nanoTime();
        assertThat(new S3BlobStore(s3, "bucket").putIfAbsent("checkpoints/wf-1/checkpoint_001.json.gz", DATA)).isTrue();

        assertThat(s3.calls).hasValue(4);
        assertThat(System.nanoTime() - started).as("three pauses of at least 1 ms").isGreaterThanOrEqualTo(3_000_000L);
    }

    @Test
    void conflictsThatDoNotClear_failTheWrite_afterSixAttempts() {
        ConflictingS3 s3 = new ConflictingS3(Integer.MAX_VALUE);

        assertThatThrownBy(() -> new S3BlobStore(s3, "bucket").putIfVersion("checkpoints/wf-1/metadata.json", DATA, "\"v1\""))
                .isInstanceOf(S3Exception.class).hasMessageContaining("ConditionalRequestConflict");
        assertThat(s3.calls).hasValue(6);
    }
}
