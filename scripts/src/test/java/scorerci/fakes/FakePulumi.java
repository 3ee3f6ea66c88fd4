package scorerci.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import scorerci.process.ExternalProcess;

/**
 * A faithful, stateful fake of the `pulumi` CLI for the tests of infra/aws's deploy: the real CLI
 * v3.276.0 runs here (scripts/tools/pulumi.sh; DeployRealPulumiTest), but infra/aws needs the
 * Node.js language host and the AWS provider plugin, which cannot be obtained here. Its output
 * follows transcripts recorded from the real CLI, and FakeFollowsRealPulumiTest fails when it
 * drifts. It installs {@code bin/pulumi} (a launcher for fake_pulumi.py, a test resource) into a
 * directory that the test puts first on PATH.
 *
 * <p>The fake keeps its state next to itself: logins, the stack selected per project, each stack's
 * config (and, like the real CLI, `config set` rewrites Pulumi.&lt;stack&gt;.yaml), its resources
 * after `up` and its outputs. It answers in the real CLI's formats: the preview digest of `preview
 * --json`, engine events of `up --json`, `stack output --json`, `whoami`, and `error: ...` with
 * exit 1 (as the real CLI v3.276.0) for failures. Its "program" is a model of infra/aws: it hashes
 * the zip named by RUST_SCORER_ZIP, so a new zip is an update of the function and the same zip is
 * no change. Every call is recorded (args, cwd, chosen environment variables, secrets only as
 * "[set]", exit code, duration).
 */
public final class FakePulumi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String python;

    private final Path home;

    private FakePulumi(Path home) {
        this.home = home;
    }

    /** Installs the fake into dir/bin; put {@link #binDir()} first on PATH. */
    public static FakePulumi install(Path dir) {
        Path bin = dir.resolve("bin");
        try {
            Files.createDirectories(bin);
            try (InputStream script = FakePulumi.class.getResourceAsStream("fake_pulumi.py")) {
                if (script == null)
                    throw new IllegalStateException("fake_pulumi.py is not on the test classpath");
                Files.write(bin.resolve("fake_pulumi.py"), script.readAllBytes());
            }
            Path launcher = bin.resolve("pulumi");
            Files.writeString(
                    launcher,
                    "#!/bin/sh\nFAKE_PULUMI_STARTED_NS=$(date +%s%N) exec '"
                            + python()
                            + "' '"
                            + bin.resolve("fake_pulumi.py")
                            + "' \"$@\"\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FakePulumi(bin);
    }

    public Path binDir() {
        return home;
    }

    /** PATH with the fake first, then the given PATH. */
    public String path(String rest) {
        return home + (rest == null || rest.isEmpty() ? "" : ":" + rest);
    }

    // ---------------------------------------------------------------- scripting

    /**
     * The next calls of command ("preview", "up", "stack select", "config set") fail with this
     * error.
     */
    public FakePulumi failOn(String command, String message) {
        ObjectNode control = control();
        ObjectNode fail =
                control.has("fail") ? (ObjectNode) control.get("fail") : control.putObject("fail");
        fail.putObject(command)
                .put("message", message)
                .put("exit", 1); // the real CLI exits 1 on every error
        writeJson("control.json", control);
        return this;
    }

    /** PULUMI_ACCESS_TOKEN is rejected as the service would (401). */
    public FakePulumi rejectTokens() {
        writeJson("control.json", control().put("reject_token", true));
        return this;
    }

    /** A saved `pulumi login`, used when no PULUMI_ACCESS_TOKEN is set. */
    public FakePulumi loggedInAs(String user) {
        ObjectNode state = state();
        state.put("logged_in_as", user);
        writeJson("state.json", state);
        return this;
    }

    // ---------------------------------------------------------------- inspection

    public record Invocation(
            List<String> args,
            Path cwd,
            int exitCode,
            Map<String, String> env,
            Map<String, String> secrets,
            double durationMillis) {
        /** "stack select -c passportxyz/..." */
        public String command() {
            return String.join(" ", args);
        }
    }

    public List<Invocation> invocations() {
        Path log = home.resolve("invocations.jsonl");
        List<Invocation> all = new ArrayList<>();
        if (!Files.exists(log)) return all;
        try {
            for (String line : Files.readAllLines(log)) {
                if (line.isBlank()) continue;
                JsonNode n = JSON.readTree(line);
                List<String> args = new ArrayList<>();
                n.get("args").forEach(a -> args.add(a.asText()));
                all.add(
                        new Invocation(
                                args,
                                Path.of(n.get("cwd").asText()),
                                n.get("exit").asInt(),
                                strings(n.get("env")),
                                strings(n.get("secrets")),
                                n.get("durationMs").asDouble()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** Invocations as "args joined", for asserting the exact call sequence. */
    public List<String> commands() {
        return invocations().stream().map(Invocation::command).toList();
    }

    /** The raw invocation log (to prove no secret value was ever written to it). */
    public String rawLog() {
        try {
            Path log = home.resolve("invocations.jsonl");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void clearLog() {
        try {
            Files.deleteIfExists(home.resolve("invocations.jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ObjectNode state() {
        return readJson("state.json");
    }

    /** The stack's outputs after `up` (empty before). */
    public Map<String, String> outputs(String stack) {
        return strings(state().path("stacks").path(stack).path("outputs"));
    }

    public Map<String, String> config(String stack) {
        return strings(state().path("stacks").path(stack).path("config"));
    }

    public int resourceCount(String stack) {
        return state().path("stacks").path(stack).path("resources").size();
    }

    // ---------------------------------------------------------------- internals

    private ObjectNode control() {
        return readJson("control.json");
    }

    private ObjectNode readJson(String name) {
        Path file = home.resolve(name);
        try {
            return Files.exists(file)
                    ? (ObjectNode) JSON.readTree(file.toFile())
                    : JSON.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeJson(String name, JsonNode value) {
        try {
            Path tmp = home.resolve(name + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), value);
            Files.move(
                    tmp,
                    home.resolve(name),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new TreeMap<>();
        if (node != null)
            node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    /** An absolute python3 (not a pyenv shim: each pulumi call would pay its start-up). */
    static synchronized String python() {
        if (python == null) {
            Path system = Path.of("/usr/bin/python3");
            if (Files.isExecutable(system)) {
                python = system.toString();
            } else {
                ExternalProcess.Result r =
                        ExternalProcess.of("python3", "-c", "import sys; print(sys.executable)")
                                .run();
                if (!r.ok())
                    throw new IllegalStateException(
                            "the fake pulumi needs python3 on PATH:\n" + r.output());
                python = r.output().strip();
            }
        }
        return python;
    }
}
