package com.campaignflow.functions.agents.rules;

import com.campaignflow.functions.agents.AgentFailedException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Per content type defaults: length, tone, how many H2 headings a good structure has, channels, URL path. */
enum ContentProfile {
    BLOG_POST(900, "informative", 3, List.of("linkedin", "x", "newsletter"), "blog"),
    SOCIAL_MEDIA(150, "conversational", 0, List.of("linkedin", "x", "facebook", "instagram"), "social"),
    EMAIL(250, "friendly", 0, List.of("newsletter", "linkedin"), "email"),
    LANDING_PAGE(500, "persuasive", 3, List.of("linkedin", "x", "newsletter"), "lp"),
    PRESS_RELEASE(500, "formal", 2, List.of("linkedin", "x", "newsletter"), "news");

    final int defaultWords;
    final String defaultTone;
    final int minHeadings;
    final List<String> defaultChannels;
    final String urlPath;

    ContentProfile(int defaultWords, String defaultTone, int minHeadings, List<String> defaultChannels, String urlPath) {
        this.defaultWords = defaultWords;
        this.defaultTone = defaultTone;
        this.minHeadings = minHeadings;
        this.defaultChannels = defaultChannels;
        this.urlPath = urlPath;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A missing content type means a blog post; an unknown one fails the agent with the accepted values. */
    static ContentProfile of(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return BLOG_POST;
        }
        for (ContentProfile p : values()) {
            if (p.wireName().equals(contentType)) {
                return p;
            }
        }
        throw new AgentFailedException("unknown content_type '" + contentType + "'; expected one of "
                + Arrays.stream(values()).map(ContentProfile::wireName).toList());
    }
}
