package com.campaignflow.functions.domain;

/** Counting and cutting text for summaries, messages and records without splitting a character. */
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

    /** The characters a reader counts (code points): an emoji is one, though a Java string holds it in two chars. */
    public static int characters(String text) {
        return text.codePointCount(0, text.length());
    }

    /**
     * The char index of the first half of a surrogate pair standing alone (JSON's {@code "\\ud800"} escape can write
     * one), or -1: it is not a character, and writers replace it with '?'.
     */
    public static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
