package scorerci.pulumi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import scorerci.core.PipelineException;
import scorerci.process.ExternalProcess;

/**
 * The stack's secret config values, read once (`pulumi config --show-secrets --json`) so they can
 * be masked in Actions and redacted by value from every line deploy shows: Pulumi's engine hides
 * them as [secret], but its debug diagnostics and a provider's error text may carry them in plain
 * text, as may any output computed from them. The values stay in memory; nothing prints them.
 */
final class StackSecrets {
    private StackSecrets() {}

    static List<String> read(PulumiCli pulumi, String stack) {
        ExternalProcess.Result result =
                pulumi.run(
                        line -> {},
                        "config",
                        "--show-secrets",
                        "--json",
                        "--stack",
                        stack,
                        "--non-interactive");
        if (!result.ok()) {
            // without the values nothing could be redacted: do not go on half-blind
            throw PipelineException.toolFailed(
                    "pulumi config --json --stack "
                            + stack
                            + " failed (exit "
                            + result.exitCode()
                            + "): "
                            + PulumiCli.reason(result.output()));
        }
        return parse(result.output());
    }

    /**
     * The values of the entries marked "secret": true (strings as they are, other JSON as Pulumi
     * prints it).
     */
    static List<String> parse(String output) {
        List<String> values = new ArrayList<>();
        int start = output.indexOf('{');
        if (start < 0) return values;
        JsonNode config;
        try {
            config = new ObjectMapper().readTree(output.substring(start));
        } catch (Exception e) {
            throw PipelineException.toolFailed(
                    "pulumi config --json printed no JSON object, so its secrets cannot be "
                            + "redacted: is `pulumi` the Pulumi CLI, version 3?");
        }
        config.forEach(
                entry -> {
                    if (!entry.path("secret").asBoolean(false)) return;
                    JsonNode value = entry.get("value");
                    if (value != null && !value.isNull())
                        values.add(value.isTextual() ? value.asText() : value.toString());
                    JsonNode object = entry.get("objectValue");
                    if (object != null && !object.isNull() && !object.isTextual())
                        values.add(object.toString());
                });
        return values;
    }
}
