package com.campaignflow.functions.checkpoints;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing and validation of workflow and checkpoint ids. They become S3 keys and file paths, so anything that
 * is not exactly {@code wf-[a-z0-9-]{1,60}/checkpoint_NNN} is refused with a message saying why.
 */
public final class CheckpointIds {

    public static final String PREFIX = "checkpoints/";
    static final int MAX_NUMBER = 999_999;
    private static final int MAX_LENGTH = 100;
    private static final Pattern WORKFLOW_ID = Pattern.compile("wf-[a-z0-9-]{1,60}");
    private static final Pattern DRIVE_LETTER = Pattern.compile("[A-Za-z]:.*");
    private static final String WORKFLOW_ID_NAME = "workflow id";
    private static final String NUMBER_PREFIX = "/checkpoint_";
    private static final Pattern CHECKPOINT_ID = Pattern.compile("(wf-[a-z0-9-]{1,60})/checkpoint_([0-9]{3,6})");

    private CheckpointIds() {
    }

    /** Returns the workflow id or throws {@link InvalidWorkflowIdException}. */
    public static String validateWorkflowId(String workflowId) {
        if (isWorkflowId(workflowId)) {
            return workflowId; // the common case, checked without a regex (ids are validated on every use)
        }
        rejectHostile(WORKFLOW_ID_NAME, workflowId);
        if (!WORKFLOW_ID.matcher(workflowId).matches()) {
            throw new InvalidWorkflowIdException("workflow id must match wf-[a-z0-9-]{1,60}: " + quoted(workflowId));
        }
        return workflowId;
    }

    /** {@code wf-[a-z0-9-]{1,60}} */
    private static boolean isWorkflowId(String id) {
        if (id == null || id.length() < 4 || id.length() > 63 || !id.startsWith("wf-")) {
            return false;
        }
        for (int i = 3; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Parses {@code wf-.../checkpoint_NNN}, or throws {@link InvalidCheckpointIdException} naming the problem. */
    public static CheckpointId parse(String raw) {
        CheckpointId wellFormed = parseWellFormed(raw);
        if (wellFormed != null) {
            return wellFormed; // the common case, without a regex (ids are parsed on every listing and sort)
        }
        rejectHostile("checkpoint id", raw);
        Matcher m = CHECKPOINT_ID.matcher(raw);
        if (!m.matches()) {
            throw new InvalidCheckpointIdException(
                    "checkpoint id must look like wf-<id>/checkpoint_NNN: " + quoted(raw));
        }
        int number = Integer.parseInt(m.group(2));
        if (number == 0) {
            throw new InvalidCheckpointIdException("checkpoint numbers start at 001: " + quoted(raw));
        }
        CheckpointId id = new CheckpointId(m.group(1), number);
        // one name per checkpoint: checkpoint_0042 would otherwise be a second id of checkpoint_042
        throw new InvalidCheckpointIdException("checkpoint numbers have three digits or as many as they need, without"
                + " more leading zeros: " + quoted(raw) + " is written " + quoted(id.value()));
    }

    /**
     * {@code wf-[a-z0-9-]{1,60}/checkpoint_} and 3 to 6 digits, not all zero, with no more leading zeros than three
     * digits need; null for anything else.
     */
    private static CheckpointId parseWellFormed(String raw) {
        int slash = raw == null ? -1 : raw.indexOf('/');
        if (slash < 0 || !isWorkflowId(raw.substring(0, slash)) || !raw.startsWith(NUMBER_PREFIX, slash)) {
            return null;
        }
        int digits = raw.length() - slash - NUMBER_PREFIX.length();
        if (digits < 3 || digits > 6) {
            return null;
        }
        int number = 0;
        for (int i = raw.length() - digits; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            number = number * 10 + (c - '0');
        }
        boolean canonical = digits == 3 || raw.charAt(raw.length() - digits) != '0';
        return number == 0 || !canonical ? null : new CheckpointId(raw.substring(0, slash), number);
    }

    /** Parses a checkpoint id that must belong to {@code workflowId} (route {@code /workflows/{id}/...}). */
    public static CheckpointId parseFor(String workflowId, String raw) {
        validateWorkflowId(workflowId);
        CheckpointId id = parse(raw);
        if (!id.workflowId().equals(workflowId)) {
            throw new InvalidCheckpointIdException(
                    "checkpoint " + raw + " belongs to workflow " + id.workflowId() + ", not " + workflowId);
        }
        return id;
    }

    private static void rejectHostile(String what, String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid(what, what + " must not be empty");
        }
        if (raw.length() > MAX_LENGTH) {
            throw invalid(what, what + " is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < raw.length(); i++) {
            if (Character.isISOControl(raw.charAt(i))) {
                throw invalid(what, what + " contains a control character at position " + i);
            }
        }
        if (raw.contains("..")) {
            throw invalid(what, what + " must not contain '..': " + quoted(raw));
        }
        if (raw.contains("%")) {
            throw invalid(what, what + " must not contain percent-encoded characters: " + quoted(raw));
        }
        if (raw.startsWith("/") || raw.startsWith("\\") || raw.contains("\\") || DRIVE_LETTER.matcher(raw).matches()) {
            throw invalid(what, what + " must not be an absolute path: " + quoted(raw));
        }
    }

    private static InvalidCheckpointIdException invalid(String what, String message) {
        return what.equals(WORKFLOW_ID_NAME) ? new InvalidWorkflowIdException(message)
                : new InvalidCheckpointIdException(message);
    }

    private static String quoted(String raw) {
        return "'" + raw + "'";
    }
}
