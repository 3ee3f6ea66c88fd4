package scorerci.core;

import java.util.regex.Pattern;

/**
 * The tag of one build (by default the short commit SHA): it names the zip's artifact
 * (rust-scorer-&lt;tag&gt;.zip), the docker image tag deploy passes on, and ci's stages. One rule
 * for every command: 1 to 128 letters, digits, '.', '_' or '-' (a Docker tag's length; it becomes
 * part of file and artifact names, so nothing else). One default for every command ({@link
 * #defaultFor}).
 */
public record BuildTag(String value) {
    public static final int MAX_LENGTH = 128;
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    public BuildTag {
        if (value == null || !RULE.matcher(value).matches()) {
            throw PipelineException.usage(
                    "--tag '"
                            + (value == null ? "" : OutsideText.escape(value))
                            + "' is not a build tag: use 1 to "
                            + MAX_LENGTH
                            + " letters, digits, '.', '_' or '-', "
                            + "like the short commit SHA 1a2b3c4 (it becomes part of file and artifact names)");
        }
    }

    /**
     * The one default when --tag is not given (build-zip, upload-artifact, download-artifact, ci):
     * the short SHA of the commit being built, as the workflows' {@code git rev-parse --short HEAD}
     * names it; outside a git checkout the first 7 hex digits of GITHUB_SHA (a runner's checkout
     * without .git); with neither, PREREQUISITE (exit 3): a build that cannot be named fails before
     * it starts rather than inventing a name that two builds would share.
     *
     * @param headShortCommit HEAD's short SHA, or null outside a git checkout
     * @param githubSha the environment's GITHUB_SHA, or null
     * @param where the directory asked, for the message
     */
    public static BuildTag defaultFor(String headShortCommit, String githubSha, Object where) {
        if (headShortCommit != null) return new BuildTag(headShortCommit);
        if (githubSha != null && githubSha.matches("[0-9a-f]{7,40}"))
            return new BuildTag(githubSha.substring(0, 7));
        throw PipelineException.prerequisite(
                "cannot name the build: "
                        + where
                        + " is not a git checkout and GITHUB_SHA is not set; pass --tag TAG");
    }

    /** Parses an option's text: null (option not given) stays null. */
    public static String check(String text) {
        return text == null ? null : new BuildTag(text).value();
    }

    @Override
    public String toString() {
        return value;
    }
}
