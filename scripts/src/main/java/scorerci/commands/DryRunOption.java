package scorerci.commands;

import picocli.CommandLine.Option;

/**
 * --dry-run (picocli mixin of the commands that change something and can show the change first:
 * deploy, upload-artifact, rollout, toggle-tests disable/enable). One meaning everywhere: run every
 * check and show what would change, change nothing. deploy: the preview only (as --preview-only);
 * upload-artifact: the file checked (a bootstrap.zip as a Lambda zip) and the artifact it would
 * store, with its exact size and digest, no network; rollout: the candidate verified and the
 * routing it would set, no alias updated and no version published; toggle-tests: the unified diff,
 * no file written.
 */
public class DryRunOption {
    @Option(
            names = "--dry-run",
            description =
                    "Run the checks and show what would change; change nothing (deploy: preview; "
                            + "upload-artifact: no upload, no network; rollout: no alias update, no publish; "
                            + "toggle-tests: the diff, no write).")
    boolean dryRun;
}
