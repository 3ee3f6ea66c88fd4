package scorerci.commands;

import scorerci.core.Context;

/**
 * What the root command gives its subcommands: the injected Context. An interface here, implemented by
 * scorerci.cli.RootCommand, so that commands need not import cli (which imports every command).
 */
public interface ContextSource {
    Context context();
}
