package com.campaignflow.functions.store.local;

/** Validation of blob keys before they become file paths: relative, '/'-separated, no traversal, no control chars. */
public final class BlobKeys {

    static final int MAX_LENGTH = 1024;

    private BlobKeys() {
    }

    /** Returns the key, or throws IllegalArgumentException naming what is wrong with it. */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("blob key must not be empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("blob key longer than " + MAX_LENGTH + " characters");
        }
        if (key.startsWith("/") || key.contains("\\") || (key.length() > 1 && key.charAt(1) == ':')) {
            throw new IllegalArgumentException("blob key must be relative: " + printable(key));
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("blob key contains a control character at " + i + ": " + printable(key));
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("blob key has an empty path segment: " + printable(key));
            }
            // Dot-led segments are reserved: "." and ".." would escape, ".tmp-*" and ".locks" are ours.
            if (segment.startsWith(".")) {
                throw new IllegalArgumentException("blob key segment must not start with '.': " + printable(key));
            }
        }
        return key;
    }

    /** Validates a list prefix: like a key, but may be empty or end with '/'. */
    public static String validatePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (!trimmed.isEmpty()) {
            validate(trimmed);
        }
        return prefix;
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.length() > 120 ? b.substring(0, 120) + "..." : b.toString();
    }
}
