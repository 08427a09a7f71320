package com.campaignflow.functions.aws;

import com.campaignflow.functions.ports.BlobStore;
import com.campaignflow.functions.ports.StoreUnavailableException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link BlobStore} on one S3 bucket. The version of an object is its ETag; conditional writes use S3's
 * conditional PutObject: {@code If-None-Match: *} for create-if-absent (how checkpoint numbers are allocated
 * without two branches sharing one) and {@code If-Match: <etag>} for compare-and-swap (metadata.json). A 412
 * Precondition Failed means another writer won and is reported as {@code false}; a 409 ConditionalRequestConflict
 * (a concurrent conditional write still in flight) is retried, as S3 asks, after a backoff with full jitter (the
 * SDK does not retry a 409, and back-to-back attempts would all land while the other write is in flight). Each put
 * carries a token of its own in the object's metadata ({@code x-amz-meta-write-token}): a 412 on an object with this
 * put's token is this put's own write — the SDK retried a put whose first attempt landed but whose answer was lost (a
 * 5xx, a timeout), and the retry failed its condition against it. Every put carries a SHA-256 checksum,
 * which S3 verifies before storing; PutObject is atomic, so a reader never sees a partial object. Encryption is the
 * bucket's default (SSE configured in template.yaml).
 */
public final class S3BlobStore implements BlobStore {

    /** The user metadata key holding the token of the put that wrote an object (see conditionalPut). */
    static final String WRITE_TOKEN = "write-token";
    private static final int CONFLICT_ATTEMPTS = 6;
    private static final long CONFLICT_BACKOFF_MILLIS = 25; // doubled per attempt: up to 25, 50, 100, 200, 400 ms

    private final S3Client s3;
    private final String bucket;

    public S3BlobStore(S3Client s3, String bucket) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("S3 bucket name is empty");
        }
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Optional<Blob> get(String key) {
        requireKey(key);
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(
                    g -> g.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
            return Optional.of(new Blob(object.asByteArray(), object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw unavailable("get", key, e);
        }
    }

    @Override
    public void put(String key, byte[] data) {
        conditionalPut(request(key).build(), data);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return conditionalPut(request(key).ifNoneMatch("*").build(), data);
    }

    @Override
    public boolean putIfVersion(String key, byte[] data, String expectedVersion) {
        if (expectedVersion == null || expectedVersion.isBlank()) {
            throw new IllegalArgumentException("expected version (ETag) for " + key + " is empty");
        }
        return conditionalPut(request(key).ifMatch(expectedVersion).build(), data);
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix == null ? "" : prefix))
                    .contents().stream().map(S3Object::key).forEach(keys::add);
        } catch (SdkException e) {
            throw unavailable("list", prefix, e);
        }
        keys.sort(null); // S3 already lists in UTF-8 binary order; sorting keeps the port's promise for any backend
        return keys;
    }

    @Override
    public void delete(String key) {
        requireKey(key);
        try {
            s3.deleteObject(d -> d.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw unavailable("delete", key, e);
        }
    }

    private StoreUnavailableException unavailable(String operation, String key, SdkException cause) {
        return new StoreUnavailableException("S3 " + operation + " of s3://" + bucket + "/" + key + " failed", cause);
    }

    private PutObjectRequest.Builder request(String key) {
        requireKey(key);
        return PutObjectRequest.builder().bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.SHA256);
    }

    private boolean conditionalPut(PutObjectRequest conditional, byte[] data) {
        try {
            return putRetryingConflicts(conditional, data);
        } catch (SdkException e) {
            throw unavailable("put", conditional.key(), e);
        }
    }

    private boolean putRetryingConflicts(PutObjectRequest conditional, byte[] data) {
        String token = UUID.randomUUID().toString();
        PutObjectRequest request = conditional.toBuilder().metadata(Map.of(WRITE_TOKEN, token)).build();
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(request, RequestBody.fromBytes(data));
                return true;
            } catch (NoSuchKeyException e) {
                return false; // If-Match on a key that does not exist
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    return writtenBy(request.key(), token);
                }
                if (e.statusCode() == 404 && request.ifMatch() != null) {
                    return false;
                }
                if (e.statusCode() != 409 || attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
                pause(attempt, e);
            }
        }
    }

    /** Whether the object at {@code key} was written by the put that carried {@code token}. */
    private boolean writtenBy(String key, String token) {
        try {
            return token.equals(s3.headObject(h -> h.bucket(bucket).key(key)).metadata().get(WRITE_TOKEN));
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static void pause(int attempt, S3Exception conflict) {
        try {
            // A generator made now, from the kernel's entropy: one seeded before a SnapStart snapshot (ThreadLocalRandom's
            // seeds are) gives every instance restored from it the same waits, so conflicting writers collide again.
            Thread.sleep(new SecureRandom().nextLong(CONFLICT_BACKOFF_MILLIS << (attempt - 1)) + 1);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw conflict;
        }
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/")) {
            throw new IllegalArgumentException("invalid object key: '" + key + "'");
        }
    }
}
