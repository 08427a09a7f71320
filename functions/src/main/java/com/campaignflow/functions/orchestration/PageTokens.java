package com.campaignflow.functions.orchestration;

import com.campaignflow.functions.planning.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code next_token} of the campaign list: opaque to clients (base64url), it carries the position in the tenant's
 * index (creation time and campaign id) the next page starts after.
 */
final class PageTokens {

    private static final Pattern POSITION = Pattern.compile("([^#]{1,40})#[A-Za-z0-9_-]{1,64}");

    private PageTokens() {
    }

    static String token(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token carries; a token this API did not return is a 400. */
    static String position(String token) {
        try {
            String position = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            Matcher matcher = POSITION.matcher(position);
            if (matcher.matches()) {
                Instant.parse(matcher.group(1));
                return position;
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // not base64, or not a time: answered below
        }
        throw new InvalidRequestException("next_token", "is not a next_token of this list: pass the one the previous"
                + " page returned, or none for the first page");
    }
}
