package com.campaignflow.functions.agents.rules;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Distribution channels with their post length limit (characters), how many hashtags suit them, the UTM medium and
 * the local times they are usually read at.
 */
enum Channel {
    LINKEDIN(3000, 3, "social", List.of("08:30", "12:00", "17:30")),
    X(280, 2, "social", List.of("09:00", "13:00", "18:00")),
    FACEBOOK(63206, 2, "social", List.of("10:00", "13:00", "19:00")),
    INSTAGRAM(2200, 5, "social", List.of("11:00", "17:00", "20:00")),
    THREADS(500, 2, "social", List.of("09:00", "12:30", "19:00")),
    BLUESKY(300, 2, "social", List.of("09:30", "14:00", "18:30")),
    NEWSLETTER(600, 0, "email", List.of("07:00", "10:00"));

    final int maxChars;
    final int hashtags;
    final String medium;
    final List<String> times;

    Channel(int maxChars, int hashtags, String medium, List<String> times) {
        this.maxChars = maxChars;
        this.hashtags = hashtags;
        this.medium = medium;
        this.times = times;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Channel> of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("twitter")) {
            n = "x";
        }
        if (n.equals("email")) {
            n = "newsletter"; // the channel an email campaign goes out on
        }
        for (Channel c : values()) {
            if (c.wireName().equals(n)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
