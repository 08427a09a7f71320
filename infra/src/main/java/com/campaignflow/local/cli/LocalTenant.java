package com.campaignflow.local.cli;

import com.campaignflow.functions.store.local.Durability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The development tenant of a data directory: tenant {@code local} with a key kept in {@code <data-dir>/local-api-key}
 * (created on first use, owner-only), so every CLI command and every restart of {@code serve} on that directory
 * share one key and see the same campaigns.
 */
record LocalTenant(String tenant, String apiKey) {

    static final String TENANT = "local";
    static final String KEY_FILE = "local-api-key";

    /** {@code API_KEYS} for this tenant alone. */
    String apiKeysSpec() {
        return tenant + "=" + apiKey;
    }

    /** {@code fsync}: as the command's {@code --fsync}; a new data directory's entry is made durable when true. */
    static LocalTenant of(Path dataDir, boolean fsync) {
        Path file = dataDir.resolve(KEY_FILE);
        try {
            // a new data directory's entry is made durable (once): the stores fsync what they write inside it
            (fsync ? Durability.SYNCED : Durability.PROCESS_SAFE).on(dataDir).createDirectories(dataDir);
            if (!Files.exists(file)) {
                byte[] random = new byte[20];
                new SecureRandom().nextBytes(random);
                String key = "cf_local_" + HexFormat.of().formatHex(random);
                Path temp = Files.createTempFile(dataDir, KEY_FILE, ".tmp");
                try {
                    setOwnerOnly(temp);
                    Files.writeString(temp, key + "\n");
                    // link-free create-if-absent: when two commands race, the first key wins for both
                    Files.move(temp, file);
                } catch (FileAlreadyExistsException e) {
                    Files.deleteIfExists(temp);
                }
            }
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (key.length() < 8) {
                throw new IllegalStateException(file + " does not hold an API key; delete it to create a new one");
            }
            return new LocalTenant(TENANT, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the development API key " + file, e);
        }
    }

    private static void setOwnerOnly(Path path) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the directory's own protection applies
        }
    }
}
