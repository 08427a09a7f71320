package com.campaignflow.functions.ports;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An object store for checkpoints: S3 on AWS, a directory locally. Keys are relative, '/'-separated,
 * already validated by the caller. Writes are atomic: a reader sees the whole old or the whole new object.
 */
public interface BlobStore {

    /**
     * An object and the version token to use in a conditional write: the S3 ETag, or a token a local store derives
     * from the bytes when first asked for it (most reads never write back, so they never pay for it).
     */
    final class Blob {
        private final byte[] data;
        private final Function<byte[], String> versionOf;
        private volatile String version;

        public Blob(byte[] data, String version) {
            this.data = data;
            this.version = version;
            this.versionOf = null;
        }

        private Blob(byte[] data, Function<byte[], String> versionOf) {
            this.data = data;
            this.versionOf = versionOf;
        }

        /** A blob whose version is {@code versionOf(data)}, computed on first use. */
        public static Blob versionedByContent(byte[] data, Function<byte[], String> versionOf) {
            return new Blob(data, versionOf);
        }

        public byte[] data() {
            return data;
        }

        public String version() {
            String v = version;
            if (v == null) {
                v = versionOf.apply(data);
                version = v;
            }
            return v;
        }
    }

    Optional<Blob> get(String key);

    /** Writes unconditionally. */
    void put(String key, byte[] data);

    /** Writes only if no object exists at the key; false if one does (S3 If-None-Match: *). */
    boolean putIfAbsent(String key, byte[] data);

    /** Writes only if the current object has the given version; false otherwise (S3 If-Match). */
    boolean putIfVersion(String key, byte[] data, String expectedVersion);

    /** Keys under the prefix, in lexicographic order. */
    List<String> list(String prefix);

    void delete(String key);

    /**
     * The same objects, for data that can be rebuilt from other objects (checkpoints' metadata.json). Such a store
     * may trade atomicity and power-cut safety for speed: locally it overwrites in place without fsync, so a reader
     * racing a write, or a crash, can see a mix of old and new bytes, which the caller must treat as damaged and
     * rebuild. An object written through it must only be written through it. Stores whose writes are atomic and
     * durable on return (S3) are their own answer.
     */
    default BlobStore forRebuildableData() {
        return this;
    }
}
