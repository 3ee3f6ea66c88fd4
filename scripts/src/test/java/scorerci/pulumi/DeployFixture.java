package scorerci.pulumi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import scorerci.commands.DeployCommand;
import scorerci.elf.ElfFixtures;
import scorerci.fakes.FakePulumi;
import scorerci.testing.CommandHarness;
import scorerci.zip.LambdaZipWriter;
import scorerci.zip.ZipInput;

/**
 * A scratch repository for deploy tests: infra/ (the real package.json, lockfile and Pulumi
 * project/stack files copied from the repository, plus an installed-looking node_modules), a valid
 * rust-scorer-artifact/bootstrap.zip (a real aarch64 ELF, collector.yaml, weights.json), the fake
 * pulumi first on PATH, a HOME without ~/.aws, and credentials in the environment.
 */
final class DeployFixture {
    static final String TOKEN = "pul-0123456789abcdef-secret-token";
    static final String AWS_KEY_ID = "AKIAEXAMPLEKEYID0000";
    static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String STAGING = "passportxyz/passport-scorer/staging";
    static final String PRODUCTION = "passportxyz/passport-scorer/production";
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static Path bootstrap;

    final Path root;
    final Path infra;
    final Path project;
    final Path zip;
    final FakePulumi pulumi;

    DeployFixture(Path root) throws IOException {
        this.root = root;
        this.infra = root.resolve("infra");
        this.project = infra.resolve("aws");
        this.zip = root.resolve("rust-scorer-artifact/bootstrap.zip");
        Files.createDirectories(project);
        copyOrWrite(
                REPO.resolve("infra/package.json"),
                infra.resolve("package.json"),
                "{\"name\":\"infra\"}\n");
        copyOrWrite(
                REPO.resolve("infra/package-lock.json"),
                infra.resolve("package-lock.json"),
                "{\"lockfileVersion\":3}\n");
        copyOrWrite(
                REPO.resolve("infra/aws/Pulumi.yaml"),
                project.resolve("Pulumi.yaml"),
                "name: passport-scorer\nruntime: nodejs\n");
        for (String env : List.of("review", "staging", "production")) {
            copyOrWrite(
                    REPO.resolve("infra/aws/Pulumi." + env + ".yaml"),
                    project.resolve("Pulumi." + env + ".yaml"),
                    "config:\n  aws:region: us-west-2\n");
        }
        markInstalled();
        copyOrWrite(
                REPO.resolve("scorer/Cargo.toml"),
                root.resolve("scorer/Cargo.toml"),
                "[package.metadata.lambda.build]\ninclude = [\"collector.yaml\", \"weights.json\"]\n");
        writeZip(zip, "{\"weights\": 1}\n");
        Files.createDirectories(root.resolve("home"));
        pulumi = FakePulumi.install(root.resolve("fake"));
    }

    /** node_modules as npm leaves it: the hidden lockfile written after package-lock.json. */
    void markInstalled() throws IOException {
        Path hidden = infra.resolve("node_modules/.package-lock.json");
        Files.createDirectories(hidden.getParent());
        Files.copy(
                infra.resolve("package-lock.json"),
                hidden,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(
                infra.resolve("package-lock.json"), FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(hidden, FileTime.from(Instant.now()));
    }

    /**
     * The Lambda check deploy runs: the real one (AWS SDK) unless a test sets a recorder, or null
     * for none.
     */
    PostDeployCheck.LambdaCheck lambdaCheck = scorerci.lambda.FunctionVerification::forDeploy;

    /**
     * A harness with PATH = fake pulumi + system PATH, HOME without AWS files, and all credentials.
     */
    CommandHarness harness() {
        return CommandHarness.create()
                .command(DeployCommand.class, () -> new DeployCommand(lambdaCheck))
                .workDir(root)
                .env("PATH", pulumi.path(System.getenv("PATH")))
                .env("HOME", root.resolve("home").toString())
                .env("PULUMI_ACCESS_TOKEN", TOKEN)
                .env("AWS_ACCESS_KEY_ID", AWS_KEY_ID)
                .env("AWS_SECRET_ACCESS_KEY", AWS_SECRET);
    }

    /** A valid provided.al2023 arm64 zip; weights vary the content (and so the hash). */
    static void writeZip(Path zip, String weights) throws IOException {
        Path dir = Files.createDirectories(zip.getParent());
        Path collector =
                Files.writeString(
                        Files.createTempFile(dir, "collector", ".yaml"),
                        "receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 0.0.0.0:4318\n");
        Path weightsFile =
                Files.writeString(Files.createTempFile(dir, "weights", ".json"), weights);
        try {
            LambdaZipWriter.withDosEpoch()
                    .write(
                            zip,
                            bootstrap(),
                            List.of(
                                    new ZipInput("collector.yaml", collector),
                                    new ZipInput("weights.json", weightsFile)));
        } finally {
            Files.deleteIfExists(collector);
            Files.deleteIfExists(weightsFile);
        }
    }

    /** One real aarch64 executable (GLIBC <= 2.34) per test JVM, compiled with the cross gcc. */
    static synchronized Path bootstrap() throws IOException {
        if (bootstrap == null) {
            Path dir = Files.createTempDirectory("deploy-bootstrap");
            bootstrap = ElfFixtures.aarch64(dir, "bootstrap", ElfFixtures.HELLO);
            dir.toFile().deleteOnExit();
        }
        return bootstrap;
    }

    static void copyOrWrite(Path from, Path to, String fallback) throws IOException {
        Files.createDirectories(to.getParent());
        if (Files.isRegularFile(from))
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        else Files.writeString(to, fallback);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
