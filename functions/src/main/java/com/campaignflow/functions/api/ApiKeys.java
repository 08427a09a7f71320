package com.campaignflow.functions.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API keys and the tenant each one belongs to, from {@code API_KEYS} = {@code tenant=key,tenant2=key2} (a
 * tenant may have several keys). Lookups compare SHA-256 digests of the keys with {@link MessageDigest#isEqual}
 * against every configured key, so neither the position nor the length of a near miss shows in the timing.
 */
public final class ApiKeys {

    /** The variable holding the keys. */
    public static final String VARIABLE = "API_KEYS";
    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final int MIN_KEY_LENGTH = 8;
    private static final int MAX_KEY_LENGTH = 256;

    private record Entry(String tenant, byte[] digest) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Parses {@code tenant=key,...}; a malformed entry is an IllegalArgumentException naming it (never the key). */
    public static ApiKeys parse(String spec) {
        List<Entry> entries = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        if (spec == null || spec.isBlank()) {
            return new ApiKeys(entries);
        }
        String[] pairs = spec.split(",");
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i].strip();
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(VARIABLE + " entry " + (i + 1) + " must be tenant=key");
            }
            String tenant = pair.substring(0, eq).strip();
            String key = pair.substring(eq + 1).strip();
            if (!TENANT.matcher(tenant).matches()) {
                throw new IllegalArgumentException(VARIABLE + " entry " + (i + 1)
                        + ": tenant must match [a-z0-9][a-z0-9_-]{0,63}, got '" + tenant + "'");
            }
            if (key.length() < MIN_KEY_LENGTH || key.length() > MAX_KEY_LENGTH) {
                throw new IllegalArgumentException(VARIABLE + " entry " + (i + 1) + " (tenant " + tenant
                        + "): the key must be " + MIN_KEY_LENGTH + " to " + MAX_KEY_LENGTH + " characters");
            }
            if (!keys.add(key)) {
                throw new IllegalArgumentException(VARIABLE + " entry " + (i + 1) + " (tenant " + tenant
                        + "): the key is already given to another entry");
            }
            entries.add(new Entry(tenant, digest(key)));
        }
        return new ApiKeys(entries);
    }

    /** The tenant owning {@code key}, if any. */
    public Optional<String> tenantOf(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        byte[] presented = digest(key);
        String found = null;
        for (Entry e : entries) {
            // no early exit: every entry is compared
            if (MessageDigest.isEqual(e.digest(), presented)) {
                found = e.tenant();
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The configured tenants (for logs and tests; never the keys). */
    public Set<String> tenants() {
        Set<String> tenants = new LinkedHashSet<>();
        entries.forEach(e -> tenants.add(e.tenant()));
        return tenants;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
