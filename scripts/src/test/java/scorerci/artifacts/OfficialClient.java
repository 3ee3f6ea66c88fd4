package scorerci.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import scorerci.process.ExternalProcess;

/**
 * Runs the official npm @actions/artifact client (scripts/src/test/node/artifact/peer.mjs) with
 * node, installing it from package-lock.json with `npm ci` on first use.
 */
final class OfficialClient {
    static final Path DIR = Path.of("scripts/src/test/node/artifact").toAbsolutePath();

    private OfficialClient() {}

    static synchronized void install() {
        if (Files.isDirectory(DIR.resolve("node_modules/@actions/artifact"))) return;
        ExternalProcess.Result r =
                ExternalProcess.of("npm", "ci", "--no-audit", "--no-fund")
                        .in(DIR)
                        .timeout(Duration.ofMinutes(5))
                        .run();
        if (!r.ok())
            throw new IllegalStateException("npm ci failed in " + DIR + ":\n" + r.tail(30));
    }

    /** Runs peer.mjs; env is the whole environment of node (only PATH/HOME inherited). */
    static JsonNode run(Map<String, String> env, String... args) {
        install();
        List<String> command = new ArrayList<>(List.of("node", "peer.mjs"));
        command.addAll(List.of(args));
        ExternalProcess p = ExternalProcess.of(command).in(DIR).timeout(Duration.ofMinutes(10));
        for (String name : System.getenv().keySet()) {
            if (!name.equals("PATH") && !name.equals("HOME")) p.unsetEnv(name);
        }
        p.env(env);
        ExternalProcess.Result r = p.run();
        String line =
                r.output()
                        .lines()
                        .filter(l -> l.startsWith("RESULT "))
                        .reduce((a, b) -> b)
                        .orElse(null);
        if (!r.ok() || line == null) {
            throw new AssertionError(
                    "official client "
                            + String.join(" ", args)
                            + " failed (exit "
                            + r.exitCode()
                            + "):\n"
                            + r.tail(40));
        }
        try {
            return new ObjectMapper().readTree(line.substring("RESULT ".length()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
