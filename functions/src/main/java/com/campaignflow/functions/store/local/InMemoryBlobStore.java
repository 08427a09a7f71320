package com.campaignflow.functions.store.local;

import com.campaignflow.functions.ports.BlobStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** {@link BlobStore} in memory, for unit tests here and in other modules. Same semantics as {@link FileBlobStore}. */
public final class InMemoryBlobStore implements BlobStore {

    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

    @Override
    public Optional<Blob> get(String key) {
        byte[] data = objects.get(BlobKeys.validate(key));
        return data == null ? Optional.empty() : Optional.of(Blob.versionedByContent(data.clone(), Hashes::sha256Hex));
    }

    @Override
    public void put(String key, byte[] data) {
        objects.put(BlobKeys.validate(key), data.clone());
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return objects.putIfAbsent(BlobKeys.validate(key), data.clone()) == null;
    }

    @Override
    public synchronized boolean putIfVersion(String key, byte[] data, String expectedVersion) {
        byte[] current = objects.get(BlobKeys.validate(key));
        if (current == null || !Hashes.sha256Hex(current).equals(expectedVersion)) {
            return false;
        }
        return objects.replace(key, current, data.clone());
    }

    @Override
    public List<String> list(String prefix) {
        String p = BlobKeys.validatePrefix(prefix);
        return objects.tailMap(p, true).keySet().stream().takeWhile(k -> k.startsWith(p)).toList();
    }

    @Override
    public void delete(String key) {
        objects.remove(BlobKeys.validate(key));
    }

    /** Replaces the stored bytes without any check: lets tests simulate corruption. */
    public void corrupt(String key, byte[] data) {
        objects.put(key, data.clone());
    }
}
