package scorerci.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import scorerci.elf.ElfFixtures;
import scorerci.process.ExternalProcess;
import scorerci.zip.LambdaZipWriter;
import scorerci.zip.ZipInput;

/**
 * The repository as the act runs see it: a git repository (branch main, with an origin remote so
 * origin/main exists, as checkout with fetch-depth 0 leaves it) holding the real .github/, the real
 * jbang-catalog.json and scorer/Cargo.toml, a prebuilt valid zip where build-zip puts it, infra/'s
 * Pulumi project files with an installed-looking node_modules (as the deploy tests use), and two
 * stand-ins: ./jbang runs the command in this test JVM's compiled classes (no JBang, no network),
 * and scripts/run-tests.sh only records that the test job ran it (the suite is what runs this).
 */
final class ActWorkspace {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final String ZIP = "scorer/target/lambda/rust-scorer/bootstrap.zip";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path bootstrap;

    final Path root;

    private ActWorkspace(Path root) {
        this.root = root;
    }

    static ActWorkspace create(Path root) throws IOException {
        ActWorkspace w = new ActWorkspace(Files.createDirectories(root));
        copyTree(REPO.resolve(".github"), root.resolve(".github"));
        Files.copy(REPO.resolve("jbang-catalog.json"), root.resolve("jbang-catalog.json"));
        Files.createDirectories(root.resolve("scorer"));
        Files.copy(REPO.resolve("scorer/Cargo.toml"), root.resolve("scorer/Cargo.toml"));
        w.writeInfra();
        w.writeZip();
        w.writeJbangShim();
        w.write(
                "scripts/run-tests.sh",
                "#!/bin/sh\n# act stand-in: the real suite is what runs this test\necho \"run-tests $*\" >> \"$SCORER_ACT_LOG\"\n",
                true);
        w.write(".gitignore", "rust-scorer-artifact/\n.artifact-store/\n", false);
        w.git("init", "-q", "-b", "main");
        w.git("add", "-A");
        w.git(
                "-c",
                "user.name=act test",
                "-c",
                "user.email=act@example.invalid",
                "commit",
                "-q",
                "-m",
                "workspace");
        w.git("remote", "add", "origin", root.toString());
        w.git("fetch", "-q", "origin");
        return w;
    }

    String head() {
        return git("rev-parse", "HEAD").trim();
    }

    String shortHead() {
        return git("rev-parse", "--short", "HEAD").trim();
    }

    /** Commits the working tree (after a test changed files, e.g. toggled the test jobs). */
    void commit(String message) {
        git("add", "-A");
        git(
                "-c",
                "user.name=act test",
                "-c",
                "user.email=act@example.invalid",
                "commit",
                "-q",
                "-m",
                message);
        git("fetch", "-q", "origin");
    }

    Path zip() {
        return root.resolve(ZIP);
    }

    private void writeInfra() throws IOException {
        Path infra = root.resolve("infra");
        Path aws = Files.createDirectories(infra.resolve("aws"));
        copyOrWrite("infra/package.json", "{\"name\":\"infra\"}\n");
        copyOrWrite("infra/package-lock.json", "{\"lockfileVersion\":3}\n");
        copyOrWrite("infra/aws/Pulumi.yaml", "name: passport-scorer\nruntime: nodejs\n");
        for (String env : List.of("review", "staging", "production")) {
            copyOrWrite("infra/aws/Pulumi." + env + ".yaml", "config:\n  aws:region: us-west-2\n");
        }
        // node_modules as npm leaves it (the hidden lockfile newer than package-lock.json), so
        // deploy skips npm ci
        Path hidden =
                Files.createDirectories(infra.resolve("node_modules"))
                        .resolve(".package-lock.json");
        Files.copy(infra.resolve("package-lock.json"), hidden, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(
                infra.resolve("package-lock.json"),
                FileTime.from(Instant.now().minusSeconds(3600)));
        Files.setLastModifiedTime(hidden, FileTime.from(Instant.now()));
        Files.createDirectories(aws);
    }

    /**
     * A valid provided.al2023 arm64 zip: a real aarch64 ELF plus the entries scorer/Cargo.toml
     * includes.
     */
    private void writeZip() throws IOException {
        Path zip = zip();
        Path dir = Files.createDirectories(zip.getParent());
        List<ZipInput> extras = new ArrayList<>();
        Path scratch = Files.createTempDirectory(root.getParent(), "zip-entries");
        for (String entry : includedEntries()) {
            Path f = scratch.resolve(entry.replace('/', '_'));
            Files.writeString(
                    f,
                    entry.endsWith(".yaml")
                            ? "receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 0.0.0.0:4318\n"
                            : "{\"act\": \"" + entry + "\"}\n");
            extras.add(new ZipInput(entry, f));
        }
        LambdaZipWriter.withDosEpoch().write(zip, bootstrap(), extras);
        Files.createDirectories(dir);
    }

    /**
     * The [package.metadata.lambda.build] include list of scorer/Cargo.toml, one source for the
     * zip's entries.
     */
    private List<String> includedEntries() throws IOException {
        List<String> entries = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(root.resolve("scorer/Cargo.toml"))) {
            String t = line.trim();
            if (t.startsWith("[")) inSection = t.equals("[package.metadata.lambda.build]");
            else if (inSection && t.startsWith("include")) {
                java.util.regex.Matcher m =
                        java.util.regex.Pattern.compile("\"([^\"]+)\"").matcher(t);
                while (m.find()) entries.add(m.group(1));
            }
        }
        return entries;
    }

    private static synchronized Path bootstrap() throws IOException {
        if (bootstrap == null) {
            Path dir = Files.createTempDirectory("act-bootstrap");
            bootstrap = ElfFixtures.aarch64(dir, "bootstrap", ElfFixtures.HELLO);
            dir.toFile().deleteOnExit();
        }
        return bootstrap;
    }

    /**
     * ./jbang stand-in: `./jbang ALIAS@. ARGS` runs the alias's catalog arguments + ARGS through
     * scorerci.cli.Main in a JVM on this test's class path — the same code JBang would compile.
     */
    private void writeJbangShim() throws IOException {
        JsonNode aliases =
                JSON.readTree(root.resolve("jbang-catalog.json").toFile()).get("aliases");
        StringBuilder cases = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = aliases.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> alias = it.next();
            List<String> args = new ArrayList<>();
            alias.getValue().get("arguments").forEach(a -> args.add(quote(a.asText())));
            cases.append("  ")
                    .append(alias.getKey())
                    .append("@.) shift; set -- ")
                    .append(String.join(" ", args))
                    .append(" \"$@\" ;;\n");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        write(
                "jbang",
                "#!/bin/sh\n# act test stand-in for the JBang launcher: the catalog's aliases, run on the test class path\n"
                        + "case \"$1\" in\n"
                        + cases
                        + "  *) echo \"jbang stand-in: unknown alias $1\" >&2; exit 2 ;;\nesac\n"
                        + "echo \"jbang $*\" >> \"$SCORER_ACT_LOG\"\n"
                        + "exec "
                        + quote(java)
                        + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "
                        + quote(classPath)
                        + " scorerci.workflows.ActJbangMain \"$@\"\n",
                true);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    void write(String relative, String text, boolean executable) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        if (executable)
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void copyOrWrite(String relative, String fallback) throws IOException {
        Path from = REPO.resolve(relative);
        Path to = root.resolve(relative);
        Files.createDirectories(to.getParent());
        if (Files.isRegularFile(from)) Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        else Files.writeString(to, fallback);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else
                    Files.copy(
                            p,
                            target,
                            StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        ExternalProcess.Result r = ExternalProcess.of(command).timeout(Duration.ofMinutes(1)).run();
        if (!r.ok())
            throw new UncheckedIOException(
                    new IOException("git " + String.join(" ", args) + " failed:\n" + r.output()));
        return r.output();
    }
}
