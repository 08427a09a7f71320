package com.campaignflow.local.sfn.cli;

import com.campaignflow.local.sfn.api.StepFunctionsHttpServer;
import com.campaignflow.local.sfn.api.StepFunctionsService;
import com.campaignflow.local.sfn.lambda.LambdaInvoker;
import com.campaignflow.local.sfn.mock.MockConfig;
import com.campaignflow.local.sfn.service.LocalStepFunctions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code sfn serve --port PORT --data-dir DIR [--mock-config FILE] [--host HOST] [--lambda-invoker CLASS]}:
 * runs the engine alone as a local Step Functions endpoint, durable under DIR, until SIGTERM
 * or Ctrl-C. {@code --lambda-invoker} names a {@link LambdaInvoker} class with a public
 * no-argument constructor for Lambda tasks without mocks (default: none, every call fails
 * as for an unknown function). {@code --journal-segment-bytes} sets the journal size that
 * triggers compaction (default 16 MiB).
 */
public final class SfnServeCommand {

    static final String USAGE = "usage: sfn serve --port PORT --data-dir DIR [--mock-config FILE] [--host HOST]"
            + " [--lambda-invoker CLASS] [--journal-segment-bytes N]";
    private static final Set<String> OPTIONS = Set.of("--port", "--data-dir", "--mock-config", "--host",
            "--lambda-invoker", "--journal-segment-bytes");

    private SfnServeCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!OPTIONS.contains(args[i]) || i + 1 >= args.length) {
                err.println("sfn serve: " + (OPTIONS.contains(args[i]) ? args[i] + " needs a value"
                        : "unknown option \"" + args[i] + "\"") + "\n" + USAGE);
                return 2;
            }
            if (options.putIfAbsent(args[i], args[i + 1]) != null) {
                err.println("sfn serve: " + args[i] + " is given twice\n" + USAGE);
                return 2;
            }
            i++;
        }
        if (!options.containsKey("--port") || !options.containsKey("--data-dir")) {
            err.println("sfn serve: --port and --data-dir are required\n" + USAGE);
            return 2;
        }
        int port;
        try {
            port = Integer.parseInt(options.get("--port"));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            err.println("sfn serve: --port must be a number from 0 to 65535, got " + options.get("--port") + "\n" + USAGE);
            return 2;
        }
        LocalStepFunctions.Config config = LocalStepFunctions.Config.defaults(Path.of(options.get("--data-dir")));
        String option = null;
        try {
            option = "--mock-config";
            if (options.containsKey(option)) {
                Path file = Path.of(options.get(option));
                config = config.withMocks(MockConfig.parse(Files.readString(file)));
            }
            option = "--journal-segment-bytes";
            if (options.containsKey(option)) {
                config = config.withSegmentLimit(segmentBytes(options.get(option)));
            }
            option = "--lambda-invoker";
            if (options.containsKey(option)) {
                config = config.withInvoker(invoker(options.get(option)));
            }
        } catch (IOException | IllegalArgumentException e) {
            err.println("sfn serve: " + option + ": " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        LocalStepFunctions service = new LocalStepFunctions(config);
        StepFunctionsHttpServer server;
        try {
            server = StepFunctionsHttpServer.start(new StepFunctionsService(service),
                    options.getOrDefault("--host", "127.0.0.1"), port);
        } catch (IOException e) {
            service.close();
            err.println("sfn serve: cannot listen on port " + port + ": " + e.getMessage());
            return 1;
        }
        LocalStepFunctions.Startup startup = service.startup();
        out.println("Step Functions endpoint: " + server.endpoint() + " (data " + config.dataDir() + "; "
                + startup.executions() + " executions, " + startup.resumed() + " resumed, "
                + startup.tornTails() + " torn journal tails skipped, started in " + startup.millis() + " ms)");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            service.close();
            stopped.countDown();
        }));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static long segmentBytes(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number of bytes, got '" + value + "'");
        }
    }

    /** An instance of the named {@link LambdaInvoker} class; IllegalArgumentException saying why there is none. */
    private static LambdaInvoker invoker(String className) {
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("no class " + className + " on the classpath");
        }
        if (!LambdaInvoker.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " does not implement " + LambdaInvoker.class.getName());
        }
        try {
            return (LambdaInvoker) type.getDeclaredConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(className + " has no public no-argument constructor");
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("cannot create " + className + ": " + cause);
        }
    }
}
