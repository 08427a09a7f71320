package com.campaignflow.functions.domain;

/** Cutting text for summaries, messages and records without splitting a character. */
public final class Text {

    private Text() {
    }

    /**
     * The first {@code max} chars of {@code text}, one fewer when the cut would split a surrogate pair (an emoji,
     * say): half a pair is not a character, and JSON writers turn it into '?'.
     */
    public static String prefix(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max > 0 && Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }

    /** {@code text} itself if it has at most {@code max} chars, else its {@link #prefix} followed by "...". */
    public static String ellipsize(String text, int max) {
        return text.length() <= max ? text : prefix(text, max) + "...";
    }
}
