package scorerci.pulumi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import scorerci.process.ExternalProcess;
import scorerci.testing.CommandHarness;
import scorerci.testing.RealPulumi;

/**
 * A scratch deploy against the real Pulumi CLI: a file:// backend and a private PULUMI_HOME in a
 * temp dir, a passphrase, the update check off, and a copy of the YAML test program (test resources
 * scorerci/pulumi/program) as --infra, with the real CLI, the YAML host and the test provider first
 * on PATH. Nothing reaches beyond the temp dir: the program has no plugin but the local test
 * provider, and the backend is a directory.
 */
final class RealStack {
    static final String PASSPHRASE = "correct horse battery staple 7";
    static final String STACK = "organization/passport-scorer/staging";

    final Path root;
    final Path infra;
    final Path project;
    final Path backend;
    final Path zip;
    final Path binDir;
    private final Map<String, String> env = new LinkedHashMap<>();

    RealStack(Path root) throws IOException {
        this.binDir = RealPulumi.binDir();
        this.root = root;
        this.infra = root.resolve("infra");
        this.project = infra.resolve("aws");
        this.backend = Files.createDirectories(root.resolve("backend"));
        this.zip = root.resolve("rust-scorer-artifact/bootstrap.zip");
        copyProgram(infra);
        // deploy reads the zip's required entries from the checkout's scorer/Cargo.toml
        DeployFixture.copyOrWrite(
                Path.of("scorer/Cargo.toml").toAbsolutePath(),
                root.resolve("scorer/Cargo.toml"),
                "[package.metadata.lambda.build]\ninclude = [\"collector.yaml\", \"weights.json\"]\n");
        DeployFixture.writeZip(zip, "{\"weights\": 1}\n");
        Path home = Files.createDirectories(root.resolve("home"));
        env.put("PATH", binDir + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("PULUMI_HOME", Files.createDirectories(root.resolve("pulumi-home")).toString());
        env.put("PULUMI_BACKEND_URL", "file://" + backend);
        env.put("PULUMI_CONFIG_PASSPHRASE", PASSPHRASE);
        env.put("PULUMI_SKIP_UPDATE_CHECK", "1");
        env.put("AWS_ACCESS_KEY_ID", DeployFixture.AWS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", DeployFixture.AWS_SECRET);
    }

    /**
     * The environment deploy and the CLI get (a copy: change it with {@link #env(String, String)}).
     */
    Map<String, String> env() {
        return new LinkedHashMap<>(env);
    }

    RealStack env(String name, String value) {
        if (value == null) env.remove(name);
        else env.put(name, value);
        return this;
    }

    CommandHarness harness() {
        CommandHarness h = CommandHarness.create().workDir(root);
        env.forEach(h::env);
        return h;
    }

    /** deploy staging against the copied program; args are added after the defaults. */
    CommandHarness.Result deploy(String... args) {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                "deploy",
                                "staging",
                                "--infra",
                                infra.toString(),
                                "--artifact",
                                zip.toString()));
        all.addAll(List.of(args));
        return harness().run(all.toArray(String[]::new));
    }

    /** The real CLI itself, in the project dir (test setup and inspection). */
    ExternalProcess.Result pulumi(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binDir.resolve("pulumi").toString());
        command.addAll(List.of(args));
        ExternalProcess process =
                ExternalProcess.of(command).in(project).env(env).timeout(Duration.ofMinutes(5));
        for (String name : System.getenv().keySet())
            if (!env.containsKey(name)) process.unsetEnv(name);
        return process.run();
    }

    ExternalProcess.Result pulumiOrFail(String... args) {
        ExternalProcess.Result r = pulumi(args);
        if (!r.ok())
            throw new AssertionError(
                    "pulumi " + String.join(" ", args) + " failed:\n" + r.output());
        return r;
    }

    /** Sets a project config value of the stack (plain, or encrypted with --secret). */
    void config(String key, String value, boolean secret) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "config",
                                "set",
                                "passport-scorer:" + key,
                                value,
                                "--stack",
                                STACK));
        if (secret) args.add("--secret");
        pulumiOrFail(args.toArray(String[]::new));
    }

    /** The stack's outputs, secrets shown (only for assertions). */
    String outputsJson() {
        return pulumiOrFail("stack", "output", "--json", "--show-secrets", "--stack", STACK)
                .output();
    }

    static void copyProgram(Path target) {
        try {
            URL url = RealStack.class.getResource("/scorerci/pulumi/program");
            if (url == null)
                throw new IllegalStateException("test resource scorerci/pulumi/program is missing");
            Path source = Path.of(url.toURI());
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path p : walk.toList()) {
                    Path to = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(to);
                    else
                        try (InputStream in = Files.newInputStream(p)) {
                            Files.copy(in, to);
                        }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
