package com.campaignflow.functions.aws;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The default {@link AwsEmulator} backend: one moto server (the AWS emulator from PyPI,
 * {@code pip install "moto[server]"}) on a free port; clients reach it through {@code AWS_ENDPOINT_URL}, the way the
 * local cloud configures them. moto's default account is 123456789012. The interpreter is {@code python3} (then {@code python}), or
 * {@code MOTO_PYTHON} when set. The server's output goes to {@code target/moto-server.log}.
 *
 * <p>moto checks a condition and then writes without a lock, so two concurrent conditional writes (DynamoDB
 * {@code ConditionExpression}, S3 {@code If-None-Match}) can both succeed — a race real AWS does not have. The server
 * is therefore launched through {@link #SERIALIZED_LAUNCHER}, which wraps moto's WSGI application in one lock: requests
 * still arrive concurrently, but each is handled whole, making every conditional write atomic as on AWS.
 */
final class MotoServer implements EmulatorBackend {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final String INSTALL_HINT = "moto server is required for the AWS adapter integration tests: "
            + "pip install \"moto[server]\" (or set MOTO_PYTHON to a python interpreter that has it)";

    /** Runs moto's own {@code moto.server.main()} with every request handled under one lock (see class comment). */
    static final String SERIALIZED_LAUNCHER = String.join("\n",
            "import sys, threading",
            "import moto.server as server",
            "lock = threading.Lock()",
            "run_simple = server.run_simple",
            "def serialized_run_simple(host, port, app, **options):",
            "    def serialized(environ, start_response):",
            "        with lock:",
            "            return list(app(environ, start_response))",
            "    return run_simple(host, port, serialized, **options)",
            "server.run_simple = serialized_run_simple",
            "sys.argv = ['moto_server'] + sys.argv[1:]",
            "server.main()");

    @Override
    public String name() {
        return "moto server";
    }

    /** Whether python has moto shows only when it starts; a missing one fails the tests with the install hint. */
    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Started start() {
        return launch();
    }

    private static Running launch() {
        int port = freePort();
        Path log = Path.of("target", "moto-server.log").toAbsolutePath();
        List<String> pythons = System.getenv("MOTO_PYTHON") != null
                ? List.of(System.getenv("MOTO_PYTHON"))
                : List.of("python3", "python");
        List<List<String>> candidates = pythons.stream().map(python -> List.of(python, "-c", SERIALIZED_LAUNCHER)).toList();
        StringBuilder failures = new StringBuilder();
        for (List<String> command : candidates) {
            Process process;
            try {
                Files.createDirectories(log.getParent());
                var args = new java.util.ArrayList<>(command);
                args.addAll(List.of("-H", "127.0.0.1", "-p", Integer.toString(port)));
                process = new ProcessBuilder(args).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                failures.append("\n  ").append(command.getFirst()).append(": ").append(e.getMessage());
                continue;
            }
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            Optional<String> problem = awaitReady(process, endpoint, log);
            if (problem.isEmpty()) {
                return new Running(process, endpoint);
            }
            process.destroyForcibly();
            failures.append("\n  ").append(command.getFirst()).append(": ").append(problem.get());
        }
        throw new ExtensionConfigurationException(INSTALL_HINT + failures);
    }

    private static Optional<String> awaitReady(Process process, URI endpoint, Path log) {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                return Optional.of("exited with " + process.exitValue() + "; output: " + tail(log));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                if (connection.getResponseCode() == 200) {
                    return Optional.empty();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(200); // waiting for an external process to bind its port
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while waiting for the server");
            }
        }
        return Optional.of("not ready after " + STARTUP_TIMEOUT.toSeconds() + " s; output: " + tail(log));
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no output)";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new ExtensionConfigurationException("no free port for moto server", e);
        }
    }

    /** The running server. */
    private static final class Running implements Started {
        private final Process process;
        private final Map<String, String> environment;

        Running(Process process, URI endpoint) {
            this.process = process;
            this.environment = Map.of(
                    "AWS_REGION", "us-east-1",
                    "AWS_ENDPOINT_URL", endpoint.toString(),
                    "AWS_ACCESS_KEY_ID", "testing",
                    "AWS_SECRET_ACCESS_KEY", "testing");
        }

        @Override
        public Map<String, String> environment() {
            return environment;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
