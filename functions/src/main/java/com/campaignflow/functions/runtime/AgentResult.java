package com.campaignflow.functions.runtime;

import com.campaignflow.functions.domain.Text;
import java.util.regex.Pattern;

/**
 * The agent result (Lambda output) kept in the workflow state: a reference and a short summary, never content.
 *
 * @param summary at most 200 characters
 */
public record AgentResult(
        String stepId,
        String agent,
        String status,
        String checkpointId,
        double qualityScore,
        String summary) {

    public static final int MAX_SUMMARY = 200;
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+");

    public static String shorten(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = WHITESPACE_RUN.matcher(text).replaceAll(" ").strip();
        return oneLine.length() <= MAX_SUMMARY ? oneLine : Text.ellipsize(oneLine, MAX_SUMMARY - 3);
    }
}
