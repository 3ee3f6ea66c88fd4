package scorerci.commands;

import scorerci.core.Context;

/**
 * What the root command gives its subcommands: the injected Context. An interface here, implemented
 * by scorerci.cli.RootCommand, so that commands need not import cli (which imports every command).
 * Commands that chain steps (deploy, ci) call the stage objects, never a sibling command's argv.
 */
public interface CommandHost {
    Context context();
}
