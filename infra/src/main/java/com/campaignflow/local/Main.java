package com.campaignflow.local;

import com.campaignflow.local.cli.CampaignCommands;
import com.campaignflow.local.cli.ServeCommand;
import com.campaignflow.local.sfn.cli.SfnCommand;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

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

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("run", CampaignCommands::run);
        COMMANDS.put("serve", ServeCommand::run);
        COMMANDS.put("checkpoints", CampaignCommands::checkpoints);
        COMMANDS.put("resume", CampaignCommands::resume);
        COMMANDS.put("redrive", CampaignCommands::redrive);
        COMMANDS.put("sfn", SfnCommand::run);
    }

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !COMMANDS.containsKey(args[0])) {
            err.println((args.length == 0 ? "missing command" : "unknown command \"" + args[0] + "\"")
                    + "; available: " + String.join(", ", COMMANDS.keySet()));
            return 2;
        }
        return COMMANDS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }
}
