package com.campaignflow.functions.store.local;

import com.campaignflow.functions.ports.BlobStore;
import java.util.List;
import java.util.Optional;

/** A blob store that passes every call to another: tests override the calls they watch or fail. */
public class ForwardingBlobStore implements BlobStore {

    private final BlobStore delegate;

    public ForwardingBlobStore(BlobStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<Blob> get(String key) {
        return delegate.get(key);
    }

    @Override
    public void put(String key, byte[] data) {
        delegate.put(key, data);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return delegate.putIfAbsent(key, data);
    }

    @Override
    public boolean putIfVersion(String key, byte[] data, String expectedVersion) {
        return delegate.putIfVersion(key, data, expectedVersion);
    }

    @Override
    public List<String> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }
}
