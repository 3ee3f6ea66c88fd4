package scorerci.artifacts;

import scorerci.core.PipelineException;

/** Artifact names: the default derived from the tag, and the characters the service forbids. */
public final class ArtifactName {
    /** Same set as @actions/artifact's validateArtifactName. */
    private static final String FORBIDDEN = "\":<>|*?\r\n\\/";

    private ArtifactName() {}

    public static String defaultFor(String tag) {
        return "rust-scorer-" + tag + ".zip";
    }

    /** Returns the name unchanged, or throws USAGE naming the offending character. */
    public static String validate(String name) {
        if (name == null || name.isBlank()) {
            throw PipelineException.usage("artifact name is empty; pass --name NAME or --tag TAG");
        }
        for (char c : name.toCharArray()) {
            if (FORBIDDEN.indexOf(c) >= 0) {
                throw PipelineException.usage(
                        "artifact name '"
                                + printable(name)
                                + "' contains the forbidden character "
                                + describe(c)
                                + "; names may not contain \" : < > | * ? \\ / CR LF (use - or _ instead)");
            }
        }
        if (name.equals(".") || name.equals("..")) {
            throw PipelineException.usage(
                    "artifact name '" + name + "' is not allowed; choose a real name");
        }
        return name;
    }

    private static String describe(char c) {
        return switch (c) {
            case '\r' -> "carriage return";
            case '\n' -> "line feed";
            default -> "'" + c + "'";
        };
    }

    private static String printable(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
