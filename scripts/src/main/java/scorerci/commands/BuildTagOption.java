package scorerci.commands;

import picocli.CommandLine.Option;
import scorerci.core.BuildTag;
import scorerci.core.Context;
import scorerci.packaging.GitInfo;

/**
 * --tag TAG (picocli mixin of build-zip, upload-artifact, download-artifact and ci): the build tag,
 * parsed once into {@link BuildTag}, with its one default policy ({@link BuildTag#defaultFor}: the
 * short SHA of HEAD, else the first 7 of GITHUB_SHA, else exit 3). The workflows always pass it.
 */
public class BuildTagOption {
    @Option(
            names = "--tag",
            paramLabel = "TAG",
            description =
                    "Build tag, 1-128 of [A-Za-z0-9._-]; names the artifact rust-scorer-<TAG>.zip "
                            + "(default: the short SHA of HEAD, else of $GITHUB_SHA).")
    String tag;

    /** --tag parsed, or null when it was not given (a USAGE error when it breaks the rule). */
    BuildTag given() {
        return tag == null ? null : new BuildTag(tag);
    }

    /** --tag, else the default for the checkout {@code context} runs in. */
    BuildTag resolve(Context context) {
        BuildTag given = given();
        if (given != null) return given;
        return GitInfo.of(context.workDir(), context.env())
                .defaultTag(context.env(), context.workDir());
    }
}
