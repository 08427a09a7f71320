package com.campaignflow.functions.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.campaignflow.functions.ports.BlobStore.Blob;
import com.campaignflow.functions.ports.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AwsEmulator.class)
class S3BlobStoreIT {

    private S3BlobStore store;

    @BeforeEach
    void createBucket() {
        String bucket = "checkpoints-" + UUID.randomUUID();
        AwsEmulator.clients().s3().createBucket(b -> b.bucket(bucket));
        store = new S3BlobStore(AwsEmulator.clients().s3(), bucket);
    }

    @Test
    void put_thenGet_returnsTheBytesWithTheEtagAsVersion() {
        store.put("checkpoints/wf-1/checkpoint_001.json.gz", bytes("first"));

        Blob blob = store.get("checkpoints/wf-1/checkpoint_001.json.gz").orElseThrow();

        assertThat(new String(blob.data(), UTF_8)).isEqualTo("first");
        assertThat(blob.version()).isNotBlank();
    }

    @Test
    void aBucketThatIsGone_isAStoreThatIsUnavailable_namingTheBucket() {
        S3BlobStore gone = new S3BlobStore(AwsEmulator.clients().s3(), "no-such-bucket-" + UUID.randomUUID());

        for (ThrowingCallable call : List.<ThrowingCallable>of(() -> gone.get("checkpoints/wf-1/metadata.json"),
                () -> gone.list("checkpoints/wf-1/"), () -> gone.putIfAbsent("checkpoints/wf-1/checkpoint_001.json.gz",
                        bytes("x")), () -> gone.delete("checkpoints/wf-1/checkpoint_001.json.gz"))) {
            assertThatThrownBy(call).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("s3://no-such-bucket-");
        }
    }

    @Test
    void get_missingKey_isEmpty() {
        assertThat(store.get("checkpoints/wf-1/metadata.json")).isEmpty();
    }

    @Test
    void putIfAbsent_secondWriterLoses_andTheFirstContentStays() {
        assertThat(store.putIfAbsent("checkpoints/wf-1/checkpoint_001.json.gz", bytes("branch a"))).isTrue();

        assertThat(store.putIfAbsent("checkpoints/wf-1/checkpoint_001.json.gz", bytes("branch b"))).isFalse();

        assertThat(text("checkpoints/wf-1/checkpoint_001.json.gz")).isEqualTo("branch a");
    }

    @Test
    void concurrentPutIfAbsent_onOneKey_hasExactlyOneWinner() throws Exception {
        int writers = 8;
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String content = "branch " + i;
                results.add(pool.submit(() -> store.putIfAbsent("checkpoints/wf-race/checkpoint_001.json.gz", bytes(content))));
            }
            int winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        }
    }

    @Test
    void putIfVersion_withTheCurrentEtag_replaces_andAStaleEtagLoses() {
        store.put("checkpoints/wf-1/metadata.json", bytes("v1"));
        String v1 = store.get("checkpoints/wf-1/metadata.json").orElseThrow().version();

        assertThat(store.putIfVersion("checkpoints/wf-1/metadata.json", bytes("v2"), v1)).isTrue();
        assertThat(store.putIfVersion("checkpoints/wf-1/metadata.json", bytes("v2 from a stale reader"), v1)).isFalse();

        Blob current = store.get("checkpoints/wf-1/metadata.json").orElseThrow();
        assertThat(new String(current.data(), UTF_8)).isEqualTo("v2");
        assertThat(current.version()).isNotEqualTo(v1);
    }

    @Test
    void putIfVersion_onAMissingKey_returnsFalseAndWritesNothing() {
        assertThat(store.putIfVersion("checkpoints/wf-1/metadata.json", bytes("x"), "\"0123\"")).isFalse();
        assertThat(store.get("checkpoints/wf-1/metadata.json")).isEmpty();
    }

    @Test
    void put_overwritesUnconditionally() {
        store.put("k/a", bytes("one"));
        store.put("k/a", bytes("two"));
        assertThat(text("k/a")).isEqualTo("two");
    }

    @Test
    void list_returnsOnlyKeysUnderThePrefix_inOrder_acrossPages() {
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 1005; i++) { // more than one ListObjectsV2 page (1000 keys)
            String key = "checkpoints/wf-big/checkpoint_%04d.json.gz".formatted(i);
            store.put(key, bytes("c" + i));
            expected.add(key);
        }
        store.put("checkpoints/wf-other/checkpoint_001.json.gz", bytes("other"));

        assertThat(store.list("checkpoints/wf-big/")).containsExactlyElementsOf(expected);
    }

    @Test
    void delete_removesTheObject_andDeletingAgainIsHarmless() {
        store.put("checkpoints/wf-1/checkpoint_001.json.gz", bytes("x"));

        store.delete("checkpoints/wf-1/checkpoint_001.json.gz");
        store.delete("checkpoints/wf-1/checkpoint_001.json.gz");

        assertThat(store.get("checkpoints/wf-1/checkpoint_001.json.gz")).isEmpty();
        assertThat(store.list("checkpoints/wf-1/")).isEmpty();
    }

    @Test
    void invalidKeys_areRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> store.put("/absolute", bytes("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/absolute");
        assertThatThrownBy(() -> store.get("")).isInstanceOf(IllegalArgumentException.class);
    }

    private String text(String key) {
        return new String(store.get(key).orElseThrow().data(), UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
