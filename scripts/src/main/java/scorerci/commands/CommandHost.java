package scorerci.commands;

import scorerci.core.Context;

/**
 * What the root command gives its subcommands: the injected Context, and (for ci, which replays the
 * pipeline's commands in order) running a sibling command in this process. An interface here,
 * implemented by scorerci.cli.RootCommand, so that commands need not import cli (which imports
 * every command).
 */
public interface CommandHost {
    Context context();

    /** Whether this build has the command {@code name} (e.g. "deploy"). */
    boolean hasCommand(String name);

    /**
     * Runs {@code args} (command name first) in this process with {@code context}; returns its exit
     * code.
     */
    int run(String[] args, Context context);
}
