package com.campaignflow.local.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Positional arguments and {@code --name value} options of one command, checked against what it accepts. */
final class Arguments {

    private final List<String> positional;
    private final Map<String, String> options;

    private Arguments(List<String> positional, Map<String, String> options) {
        this.positional = positional;
        this.options = options;
    }

    /**
     * @throws UsageException for an unknown option, an option given twice, an option without value (an empty one counts: {@code --data-dir ''}
     *     would otherwise mean the working directory), or the wrong number of positionals
     */
    static Arguments parse(String[] args, int positionalCount, Set<String> allowed) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--")) {
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                if (!allowed.contains(name)) {
                    throw new UsageException("unknown option " + name);
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(name + " needs a value");
                    }
                    String next = args[i + 1];
                    if (allowed.contains(next.contains("=") ? next.substring(0, next.indexOf('=')) : next)) {
                        // "--action --data-dir d" lost the action: said so, not "expects 1 argument(s), got 2"
                        throw new UsageException(name + " needs a value, got the option " + next + " next (for a"
                                + " value that is an option's name, write " + name + "=VALUE)");
                    }
                    value = args[++i];
                }
                if (value.isBlank()) {
                    throw new UsageException(name + " needs a value, got an empty one");
                }
                if (options.putIfAbsent(name, value) != null) {
                    // a second --faults or --data-dir silently replacing the first would run something else
                    throw new UsageException(name + " is given twice (" + options.get(name) + ", " + value + ")");
                }
            } else {
                positional.add(arg);
            }
        }
        if (positional.size() != positionalCount) {
            throw new UsageException(positionalCount == 0 ? "takes no arguments, got " + positional
                    : "expects " + positionalCount + " argument(s), got " + positional.size());
        }
        return new Arguments(List.copyOf(positional), options);
    }

    String positional(int index) {
        return positional.get(index);
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** An option whose value is true or false. */
    boolean bool(String name, boolean defaultValue) {
        String value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new UsageException(name + " must be true or false, got " + value);
        };
    }

    int port(String name, int defaultPort) {
        String value = options.get(name);
        if (value == null) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name + " must be a number from 0 to 65535, got " + value);
    }

    /** Thrown when the command line itself is wrong (exit code 2). */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
