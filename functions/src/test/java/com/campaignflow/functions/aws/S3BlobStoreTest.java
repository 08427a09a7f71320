package com.campaignflow.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.ports.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
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

    /**
     * An S3 client whose PutObject fails its precondition (412) against an object written by the first attempt of the
     * same put ({@code ownRetry}: its token in the metadata) or by another writer.
     */
    private static S3Client preconditionFailed(boolean ownRetry) {
        return new S3Client() {
            String lastToken;

            @Override
            public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
                lastToken = request.metadata().get(S3BlobStore.WRITE_TOKEN);
                throw (S3Exception) S3Exception.builder().statusCode(412).message("PreconditionFailed").build();
            }

            @Override
            public HeadObjectResponse headObject(HeadObjectRequest request) {
                return HeadObjectResponse.builder().eTag("\"e\"")
                        .metadata(Map.of(S3BlobStore.WRITE_TOKEN, ownRetry ? lastToken : "another writer's token")).build();
            }

            @Override
            public String serviceName() {
                return "s3";
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aFailedPrecondition_againstTheObjectThisPutWrote_isItsOwnRetriedWrite_andCountsAsWritten() {
        String key = "checkpoints/wf-1/checkpoint_001.json.gz";

        assertThat(new S3BlobStore(preconditionFailed(true), "bucket").putIfAbsent(key, DATA)).isTrue();
        assertThat(new S3BlobStore(preconditionFailed(true), "bucket").putIfVersion(key, DATA, "\"v1\"")).isTrue();
        assertThat(new S3BlobStore(preconditionFailed(false), "bucket").putIfAbsent(key, DATA))
                .as("another writer's object, even with the same bytes").isFalse();
    }

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
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("s3://bucket/checkpoints/wf-1/metadata.json")
                .hasMessageContaining("ConditionalRequestConflict").hasCauseInstanceOf(S3Exception.class);
        assertThat(s3.calls).hasValue(6);
    }
}
