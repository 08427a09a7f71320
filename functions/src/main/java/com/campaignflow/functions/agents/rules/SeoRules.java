package com.campaignflow.functions.agents.rules;

import com.campaignflow.functions.agents.text.ContentMetrics;
import com.campaignflow.functions.domain.Text;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Search snippet limits and the rules that fit a title, meta description and slug into them. */
final class SeoRules {

    static final int TITLE_MAX = 60;
    static final int META_MIN = 120;
    static final int META_MAX = 160;
    static final int SLUG_MAX = 60;

    private SeoRules() {
    }

    /**
     * The first non-blank candidate that fits in 60 characters, else {@code fallback} (the article title) shortened
     * at a word boundary. Never empty for a non-blank fallback: a blank candidate means "skip", not "no title".
     */
    static String title(List<String> candidates, String fallback) {
        return candidates.stream().map(c -> c.replaceAll("\\s+", " ").trim())
                .filter(c -> !c.isEmpty() && Text.characters(c) <= TITLE_MAX).findFirst()
                .orElseGet(() -> shortTitle(fallback));
    }

    /** A title shortened to 60 characters at a word boundary; a single overlong word is cut rather than lost. */
    static String shortTitle(String title) {
        String flat = title.replaceAll("\\s+", " ").trim();
        if (Text.characters(flat) <= TITLE_MAX) {
            return flat;
        }
        String shortened = ContentMetrics.truncateAtWord(flat, TITLE_MAX);
        return shortened.isEmpty() ? Text.prefix(flat, TITLE_MAX) : shortened;
    }

    /**
     * Sentences appended in order until the text reaches 120 characters, never passing 160: a sentence that would
     * overflow is shortened at a word boundary and ends with an ellipsis. Shorter than 120 only when the candidates
     * run out.
     */
    static String metaDescription(List<String> sentences) {
        StringBuilder meta = new StringBuilder();
        for (String raw : sentences) {
            String s = raw.replaceAll("\\s+", " ").trim();
            if (s.isEmpty() || meta.indexOf(s) >= 0) {
                continue;
            }
            int room = META_MAX - Text.characters(meta.toString()) - (meta.isEmpty() ? 0 : 1);
            if (Text.characters(s) <= room) {
                meta.append(meta.isEmpty() ? "" : " ").append(s);
            } else if (room >= 20) {
                meta.append(meta.isEmpty() ? "" : " ").append(ContentMetrics.truncateAtWord(s, room - 1)).append('…');
            }
            if (Text.characters(meta.toString()) >= META_MIN) {
                break;
            }
        }
        return meta.toString();
    }

    /**
     * Lowercase ASCII words joined by hyphens, at most 60 characters, cut at a hyphen. Letters with accents lose them
     * ("Crème" -> "creme"); when most letters have no Latin form (Chinese, Arabic ...) a short hash of the text is
     * added (or is the whole slug), so that different titles keep different URLs.
     */
    static String slug(String text) {
        String ascii = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replace("&", " and ").replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        long letters = ascii.codePoints().filter(Character::isLetter).count();
        long latin = ascii.codePoints().filter(c -> c < 128 && Character.isLetter(c)).count();
        boolean mostlyLost = latin * 2 < letters;
        int max = mostlyLost ? SLUG_MAX - 9 : SLUG_MAX;
        if (slug.length() > max) {
            int cut = slug.lastIndexOf('-', max);
            slug = slug.substring(0, cut > 0 ? cut : max);
        }
        if (mostlyLost || slug.isEmpty()) {
            slug = slug.isEmpty() ? shortHash(text) : slug + "-" + shortHash(text);
        }
        return slug;
    }

    /** The first 8 hex digits of the text's SHA-256: stable across runs and JVMs. */
    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }

    static boolean isSlug(String slug) {
        return slug.length() <= SLUG_MAX && slug.matches("[a-z0-9]+(?:-[a-z0-9]+)*");
    }
}
