package com.campaignflow.functions.runtime;

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

    public static String shorten(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_SUMMARY ? oneLine : oneLine.substring(0, MAX_SUMMARY - 3) + "...";
    }
}
