package com.campaignflow.local;

import com.campaignflow.local.bench.BenchCommand;
import com.campaignflow.local.cli.CampaignCommands;
import com.campaignflow.local.cli.ServeCommand;
import com.campaignflow.local.sfn.cli.SfnCommand;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code local} command: dispatches the first argument to a subcommand. Each
 * subcommand returns its exit code; {@link #run} is what tests call in-process.
 */
public final class Main {

    /** A subcommand: arguments after its name, the streams to use, the exit code. */
    @FunctionalInterface
    public interface Command {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    /** A subcommand and its usage (what {@code --help} prints). */
    private record Entry(Command command, String usage) {
    }

    private static final Map<String, Entry> COMMANDS = new LinkedHashMap<>();
    private static final Set<String> HELP = Set.of("--help", "-h", "help");

    static {
        COMMANDS.put("run", new Entry(CampaignCommands::run, CampaignCommands.RUN_USAGE));
        COMMANDS.put("serve", new Entry(ServeCommand::run, ServeCommand.USAGE));
        COMMANDS.put("checkpoints", new Entry(CampaignCommands::checkpoints, CampaignCommands.CHECKPOINTS_USAGE));
        COMMANDS.put("resume", new Entry(CampaignCommands::resume, CampaignCommands.RESUME_USAGE));
        COMMANDS.put("redrive", new Entry(CampaignCommands::redrive, CampaignCommands.REDRIVE_USAGE));
        COMMANDS.put("sfn", new Entry(SfnCommand::run, SfnCommand.USAGE));
        COMMANDS.put("bench", new Entry(BenchCommand::run, BenchCommand.USAGE));
    }

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && HELP.contains(args[0])) {
            out.println("usage: java -jar infra/target/campaignflow-local.jar COMMAND [ARGS]");
            out.println("commands (COMMAND --help shows one):");
            COMMANDS.values().forEach(e -> out.println("  " + withoutPrefix(e.usage()).replace("\n", "\n  ")));
            return 0;
        }
        if (args.length == 0 || !COMMANDS.containsKey(args[0])) {
            err.println((args.length == 0 ? "missing command" : "unknown command \"" + args[0] + "\"")
                    + "; available: " + String.join(", ", COMMANDS.keySet()) + " (--help for their usage)");
            return 2;
        }
        Entry entry = COMMANDS.get(args[0]);
        // "bench orchestration --help", "run events/x.json -h": asking for help never runs the command
        if (Arrays.stream(args, 1, args.length).anyMatch(a -> a.equals("--help") || a.equals("-h"))
                || args.length == 2 && args[1].equals("help")) {
            out.println("usage: " + withoutPrefix(entry.usage()));
            return 0;
        }
        return entry.command().run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }

    private static String withoutPrefix(String usage) {
        return usage.startsWith("usage: ") ? usage.substring("usage: ".length()) : usage;
    }
}
