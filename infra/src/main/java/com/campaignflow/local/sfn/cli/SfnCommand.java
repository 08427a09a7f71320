package com.campaignflow.local.sfn.cli;

import com.campaignflow.local.sfn.ExecutionOptions;
import com.campaignflow.local.sfn.ExecutionResult;
import com.campaignflow.local.sfn.ExecutionRunner;
import com.campaignflow.local.sfn.InvalidDefinitionException;
import com.campaignflow.local.sfn.StateMachineDefinition;
import com.campaignflow.local.sfn.mock.MockConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code sfn run --definition FILE --input FILE [--name NAME] [--mock-config FILE --test-case NAME]}:
 * runs one execution on the wall clock and prints the result as the last stdout line.
 * Exit 0 whenever the execution ran (whatever its status), 2 for bad arguments or files.
 */
public final class SfnCommand {

    /** One JSON value per file, nothing after it, as StartExecution reads an input. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> RUN_OPTIONS = Set.of("--definition", "--input", "--name", "--mock-config",
            "--test-case");

    public static final String USAGE = "usage: sfn run --definition FILE --input FILE [--name NAME]"
            + " [--mock-config FILE --test-case NAME]\n       " + SfnServeCommand.USAGE.substring("usage: ".length());

    private SfnCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && "serve".equals(args[0])) {
            return SfnServeCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length == 0 || !"run".equals(args[0])) {
            err.println(USAGE);
            return 2;
        }
        Map<String, String> options;
        try {
            options = options(Arrays.copyOfRange(args, 1, args.length));
        } catch (UsageException e) {
            err.println("sfn run: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        try {
            return runExecution(options, out);
        } catch (UsageException e) {
            err.println("sfn run: " + e.getMessage());
            return 2;
        }
    }

    /** Thrown when the arguments or the files they name are not usable. */
    private static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private static Map<String, String> options(String[] args) throws UsageException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!RUN_OPTIONS.contains(args[i])) {
                throw new UsageException("unknown option \"" + args[i] + "\"");
            }
            if (i + 1 >= args.length) {
                throw new UsageException(args[i] + " needs a value");
            }
            if (options.putIfAbsent(args[i], args[i + 1]) != null) {
                throw new UsageException(args[i] + " is given twice");
            }
            i++;
        }
        if (!options.containsKey("--definition")) {
            throw new UsageException("--definition FILE is required");
        }
        if (!options.containsKey("--input")) {
            throw new UsageException("--input FILE is required");
        }
        if (options.containsKey("--mock-config") != options.containsKey("--test-case")) {
            throw new UsageException("--mock-config FILE and --test-case NAME must be given together");
        }
        return options;
    }

    private static int runExecution(Map<String, String> args, PrintStream out) throws UsageException {
        Path definitionFile = Path.of(args.get("--definition"));
        StateMachineDefinition definition;
        try {
            definition = StateMachineDefinition.parse(read(definitionFile, "definition"));
        } catch (InvalidDefinitionException e) {
            throw new UsageException("invalid definition " + definitionFile + ":\n  "
                    + String.join("\n  ", e.problems()));
        }
        JsonNode input;
        try {
            input = MAPPER.readTree(read(Path.of(args.get("--input")), "input"));
        } catch (JsonProcessingException e) {
            throw new UsageException("input " + args.get("--input") + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (input == null || input.isMissingNode()) {
            throw new UsageException("input " + args.get("--input") + " is empty");
        }
        String name = args.getOrDefault("--name", machineName(definitionFile));
        ExecutionOptions.Builder options = ExecutionOptions.builder().stateMachineName(name);
        if (args.containsKey("--mock-config")) {
            try {
                MockConfig mocks = MockConfig.parse(read(Path.of(args.get("--mock-config")), "mock config"));
                options.mocks(mocks.testCase(name, args.get("--test-case")));
            } catch (IllegalArgumentException e) {
                throw new UsageException("mock config " + args.get("--mock-config") + ": " + e.getMessage());
            }
        }
        ExecutionResult result = ExecutionRunner.run(definition, input, options.build());
        out.println(result.toJson().toString());
        return 0;
    }

    /** "orders.asl.json" → "orders". */
    static String machineName(Path definition) {
        String file = definition.getFileName().toString();
        for (String suffix : new String[] {".asl.json", ".json"}) {
            if (file.endsWith(suffix)) {
                return file.substring(0, file.length() - suffix.length());
            }
        }
        return file;
    }

    private static String read(Path file, String what) throws UsageException {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + what + " file " + file + ": " + e.getMessage());
        }
    }
}
