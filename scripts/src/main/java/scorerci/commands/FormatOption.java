package scorerci.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Option;
import scorerci.core.Log;

/**
 * --format text|json (picocli mixin of the commands that report a result record: build-zip,
 * verify-zip, upload-artifact, download-artifact, deploy, verify-deploy, rollout, ci). json prints
 * the result record ({@link Report}) as one JSON object on stdout instead of the "key: value"
 * lines, which then go to stderr with the progress; step outputs and the job summary are written
 * from the same record either way. The JSON passes through the redacting sink of every printed
 * line.
 */
public class FormatOption {
    public enum Format {
        TEXT,
        JSON
    }

    /**
     * Made on first use: Jackson's databind is about 400 classes and 40 ms of a short command's
     * start, paid only when JSON is asked for.
     */
    private static final class Json {
        static final ObjectMapper MAPPER =
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description =
                    "text (default: key: value lines) or json (one object on stdout, for scripts).")
    String format = "text";

    Format format() {
        return switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "text" -> Format.TEXT;
            case "json" -> Format.JSON;
            default ->
                    throw scorerci.core.PipelineException.usage(
                            "--format '"
                                    + scorerci.core.OutsideText.escape(format)
                                    + "' is unknown: use text or json");
        };
    }

    boolean json() {
        return format() == Format.JSON;
    }

    /** The record as JSON on stdout (a result: printed even with --quiet). */
    static void printJson(Log log, Object record) {
        try {
            log.out().println(Json.MAPPER.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result record must serialise: " + e.getMessage(), e);
        }
        log.out().flush();
    }
}
