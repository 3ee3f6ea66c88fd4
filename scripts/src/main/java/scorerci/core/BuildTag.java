package scorerci.core;

import java.util.regex.Pattern;

/**
 * The tag of one build (by default the short commit SHA): it names the zip's artifact
 * (rust-scorer-&lt;tag&gt;.zip), the docker image tag deploy passes on, and ci's stages. One rule
 * for every command: 1 to 128 letters, digits, '.', '_' or '-' (a Docker tag's length; it becomes
 * part of file and artifact names, so nothing else).
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

    /** Parses an option's text: null (option not given) stays null. */
    public static String check(String text) {
        return text == null ? null : new BuildTag(text).value();
    }

    @Override
    public String toString() {
        return value;
    }
}
