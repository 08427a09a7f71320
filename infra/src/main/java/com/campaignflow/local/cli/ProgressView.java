package com.campaignflow.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Shows a campaign's progress on stderr by tailing {@code <data-dir>/progress/<campaign>.jsonl} (what the local
 * progress publisher appends, one {@code agent_progress} message per line): a redrawn progress bar on a terminal,
 * one plain line per message otherwise. Only messages appended after the view was created are shown.
 */
final class ProgressView {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BAR_WIDTH = 30;

    private final Path file;
    private final PrintStream err;
    private final boolean terminal;
    private long offset;
    private boolean barShown;
    private int shownProgress;

    ProgressView(Path dataDir, String campaignId, PrintStream err, boolean terminal) {
        this.file = dataDir.resolve("progress").resolve(campaignId + ".jsonl");
        this.err = err;
        this.terminal = terminal;
        this.offset = size();
    }

    /** Whether stderr is an interactive terminal (a console whose streams are not redirected). */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+: System.console() exists even when redirected; isTerminal() tells.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Shows what was appended since the last call. */
    void poll() {
        long size = size();
        if (size <= offset) {
            return;
        }
        byte[] bytes;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(offset);
            bytes = new byte[(int) Math.min(size - offset, 1 << 20)];
            in.readFully(bytes);
        } catch (IOException e) {
            return; // progress is best effort; the result is what counts
        }
        int end = lastNewline(bytes);
        if (end < 0) {
            return; // a line still being written: read it whole next time
        }
        offset += end + 1;
        for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                show(line);
            }
        }
    }

    /** Ends the bar's line so that later output starts on a fresh one. */
    void finish() {
        poll();
        if (barShown) {
            err.println();
            barShown = false;
        }
        err.flush();
    }

    private void show(String line) {
        JsonNode message;
        try {
            message = JSON.readTree(line);
        } catch (IOException e) {
            return;
        }
        if (message == null || !message.isObject()) {
            return;
        }
        // Branches of a Parallel phase each count the steps before the phase and their own: a branch that fails
        // after a sibling completed says less than was shown already; the view never goes back.
        int progress = Math.max(shownProgress, Math.max(0, Math.min(100, message.path("progress").asInt())));
        shownProgress = progress;
        String agent = message.path("current_agent").asText("");
        String text = message.path("message").asText("");
        String degradation = message.path("degradation_level").asText("none");
        String suffix = "none".equals(degradation) || degradation.isEmpty() ? "" : " [degraded: " + degradation + "]";
        if (terminal) {
            int filled = progress * BAR_WIDTH / 100;
            String bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
            String status = String.format(Locale.ROOT, "[%s] %3d%% %s%s", bar, progress, agent, suffix);
            err.print("\r\033[K" + status);
            barShown = true;
        } else {
            // the message names the agent itself ("writer completed ..."); the agent alone when there is none
            err.println(String.format(Locale.ROOT, "[%3d%%] %s%s", progress, text.isEmpty() ? agent : text, suffix));
        }
        err.flush();
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private long size() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
