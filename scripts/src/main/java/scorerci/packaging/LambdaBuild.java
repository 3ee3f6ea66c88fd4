package scorerci.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import scorerci.core.Actions;
import scorerci.core.BuildTag;
import scorerci.core.Digests;
import scorerci.core.Log;
import scorerci.core.PipelineException;
import scorerci.core.Stage;
import scorerci.elf.GlibcVersion;
import scorerci.process.ExternalProcess;
import scorerci.provenance.ProvenanceStatement;
import scorerci.zip.LambdaZipWriter;
import scorerci.zip.VerifiedZip;
import scorerci.zip.ZipInput;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;

/**
 * The build-zip stage: choose a toolchain (provisioning it when allowed), build the crate for
 * aarch64, package bootstrap and the declared includes reproducibly, verify the zip before it
 * replaces the old one, and write the manifest beside it.
 *
 * <p>A rerun whose inputs (binary, includes, timestamp) hash to the manifest's value, with the zip
 * still matching its recorded SHA-256, keeps the zip and only re-verifies it.
 */
public final class LambdaBuild implements Stage<LambdaBuild.Request, LambdaBuild.Result> {
    /**
     * What the user asked for; null fields take their defaults (the tag: {@link
     * BuildTag#defaultFor}).
     */
    public record Request(Path crateDir, Path out, String toolchain, String maxGlibc, String tag) {}

    /** What was built; {@code provenance} is the statement beside the zip. */
    public record Result(
            VerifiedZip zip,
            Path manifest,
            String tag,
            String artifactName,
            String commit,
            Toolchain toolchain,
            boolean reused,
            Path provenance) {}

    private final Map<String, String> env;
    private final Log log;
    private final Actions actions;
    private final HostFacts host;
    private final java.util.function.Function<Map<String, String>, ToolchainProbe> probes;

    public LambdaBuild(Map<String, String> env, Log log, Actions actions, HostFacts host) {
        this(env, log, actions, host, ToolchainProbe::of);
    }

    /** With a probe factory, so tests can describe a machine this one is not. */
    LambdaBuild(
            Map<String, String> env,
            Log log,
            Actions actions,
            HostFacts host,
            java.util.function.Function<Map<String, String>, ToolchainProbe> probes) {
        this.env = env;
        this.log = log;
        this.actions = actions;
        this.host = host;
        this.probes = probes;
    }

    /**
     * Builds, packages and verifies; an I/O failure of the file system under the build (not a
     * finding about the crate) surfaces unchecked, as an internal error.
     */
    @Override
    public Result run(Request request) {
        try {
            return build(request);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Result build(Request request) throws IOException {
        long start = System.nanoTime();
        CompletableFuture.runAsync(
                BuildManifest
                        ::warmUp); // Jackson's first use costs ~0.2 s; pay it off the critical path
        ZipRules rules =
                ZipRules.defaults()
                        .withMaxGlibc(
                                request.maxGlibc() == null
                                        ? ZipRules.AL2023_GLIBC
                                        : request.maxGlibc());
        LambdaZipWriter writer = LambdaZipWriter.forSourceDateEpoch(env.get("SOURCE_DATE_EPOCH"));
        Toolchain toolchain = toolchain(request.toolchain(), rules.maxGlibcVersion());
        log.detail("toolchain: " + toolchain.describe());

        Toolchain resolved = toolchain;
        // the sysroot is only needed for the remap flags: asked while cargo metadata runs
        CompletableFuture<Path> sysroot =
                CompletableFuture.supplyAsync(() -> sysroot(resolved, request.crateDir()));
        CargoPackage crate = CargoPackage.read(request.crateDir(), toolchain, env);
        rules = rules.withRequiredEntries(crate.includes());
        Path zip =
                request.out() != null
                        ? request.out()
                        : crate.targetDirectory()
                                .resolve("lambda")
                                .resolve(crate.bin())
                                .resolve("bootstrap.zip");
        List<ZipInput> includes = includes(crate);

        // facts for the manifest, gathered while cargo runs (2 cores: the JVM mostly waits)
        Toolchain chosen = toolchain;
        CompletableFuture<GitInfo> gitInfo =
                CompletableFuture.supplyAsync(() -> GitInfo.of(request.crateDir(), env));
        // named before cargo runs: a build that cannot be named fails now, not after minutes
        String tag =
                request.tag() != null
                        ? request.tag()
                        : gitInfo.join().defaultTag(env, request.crateDir()).value();
        CompletableFuture<Map<String, String>> toolVersions =
                CompletableFuture.supplyAsync(() -> versions(chosen, crate.crateDir()));

        CompletableFuture<String> cargoLock =
                CompletableFuture.supplyAsync(() -> sha256OrNull(crate.cargoLock()));
        Path cargoHome = cargoHome(env);
        List<RustFlags.Remap> remaps =
                RustFlags.remaps(
                        crate.name(),
                        crate.crateDir(),
                        crate.targetDirectory(),
                        cargoHome,
                        sysroot.join());
        RustFlags.Delivery flags =
                RustFlags.deliver(remaps, Toolchain.TRIPLE, env, crate.crateDir(), cargoHome);
        log.detail("rustflags via " + flags.via() + ": " + String.join(" ", flags.recorded()));

        log.detail(elapsed(start) + "toolchain and crate metadata ready");
        Path binary = CargoBuild.run(crate, toolchain, flags, env, log, actions);
        log.detail(elapsed(start) + "cargo build done");

        Path manifestPath = BuildManifest.pathFor(zip);
        BuildManifest previous = BuildManifest.readIfPresent(manifestPath);
        String fingerprint = inputsFingerprint(binary, includes, writer);
        // like git's index: unchanged size+mtime of every input means unchanged content (cargo
        // rewrites the binary whenever it relinks); otherwise hash the content, so a mere
        // touch still keeps the zip
        String inputs =
                previous != null && fingerprint.equals(previous.inputsFingerprint())
                        ? previous.inputsSha256()
                        : inputsSha256(binary, includes, writer);
        VerifiedZip verified = null;
        boolean reuse = false;
        if (previous != null
                && inputs.equals(previous.inputsSha256())
                && Files.isRegularFile(zip)) {
            try {
                VerifiedZip existing =
                        reverify(
                                AnswerCache.of(env),
                                zip,
                                manifestPath,
                                previous,
                                rules,
                                verifierCode());
                reuse = existing.sha256Hex().equals(previous.sha256());
                if (reuse) verified = existing;
            } catch (PipelineException staleOrBroken) {
                log.detail(
                        "the existing zip does not verify ("
                                + staleOrBroken.getMessage()
                                + "): rewriting it");
            }
        }
        if (reuse) {
            log.progress("inputs unchanged since the last build: kept " + zip);
        } else {
            log.progress("packaging " + zip);
            List<String> leaks =
                    PathLeaks.find(
                            binary,
                            remaps,
                            env.get("HOME")); // a kept zip was checked when packaged
            if (!leaks.isEmpty()) {
                log.warn(
                        binary.getFileName()
                                + " still contains build paths ("
                                + String.join(", ", leaks)
                                + "), so another"
                                + " checkout will build different bytes: something overrides build-zip's --remap-path-prefix flags"
                                + " (see the rustflags line with --verbose)");
            }
            ZipRules finalRules = rules;
            VerifiedZip[] checked = new VerifiedZip[1];
            writer.write(
                    zip,
                    binary,
                    includes,
                    temp -> checked[0] = ZipVerifier.verify(temp, finalRules));
            VerifiedZip v = checked[0];
            verified =
                    new VerifiedZip(
                            zip,
                            v.size(),
                            v.unzippedSize(),
                            v.sha256Hex(),
                            v.codeSha256(),
                            v.machine(),
                            v.highestGlibc(),
                            v.entries());
        }

        log.detail(elapsed(start) + (reuse ? "zip re-verified" : "zip written and verified"));
        GitInfo git = gitInfo.join();
        String artifactName = "rust-scorer-" + tag + ".zip";
        BuildManifest manifest =
                new BuildManifest(
                        tag,
                        artifactName,
                        git.commit(),
                        crate.name(),
                        crate.version(),
                        toolchain.target(),
                        toolchain.route().cliName(),
                        toolVersions.join(),
                        zip.getFileName().toString(),
                        verified.size(),
                        verified.unzippedSize(),
                        verified.sha256Hex(),
                        verified.codeSha256(),
                        verified.machine(),
                        verified.highestGlibc(),
                        rules.maxGlibc(),
                        verified.entries(),
                        writer.timestamp() + "Z",
                        inputs,
                        fingerprint,
                        cargoLock.join(),
                        sourceDateEpoch(),
                        flags.recorded(),
                        ProvenanceStatement.pathFor(zip).getFileName().toString());
        if (!manifest.equals(previous)) manifest.write(manifestPath);
        log.detail(
                elapsed(start)
                        + "manifest "
                        + (manifest.equals(previous) ? "unchanged" : "written"));
        Path provenance =
                ProvenanceStatement.write(
                        zip,
                        new ProvenanceStatement.Facts(
                                zip.getFileName().toString(),
                                verified.sha256Hex(),
                                crate.name(),
                                crate.version(),
                                git.commit(),
                                manifest.cargoLockSha256(),
                                toolchain.route().cliName(),
                                toolchain.target(),
                                manifest.toolchainVersions(),
                                flags.recorded(),
                                sourceDateEpoch(),
                                rules.maxGlibc(),
                                ProvenanceStatement.Builder.fromEnv(env)));
        return new Result(
                verified,
                manifestPath,
                tag,
                artifactName,
                git.commit(),
                toolchain,
                reuse,
                provenance);
    }

    private String sourceDateEpoch() {
        String value = env.get("SOURCE_DATE_EPOCH");
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** CARGO_HOME as cargo resolves it: the variable, else ~/.cargo. */
    static Path cargoHome(Map<String, String> env) {
        String home = env.get("CARGO_HOME");
        if (home != null && !home.isBlank()) return Path.of(home).toAbsolutePath().normalize();
        String user = env.get("HOME");
        return user == null || user.isBlank()
                ? null
                : Path.of(user, ".cargo").toAbsolutePath().normalize();
    }

    /** The toolchain's sysroot (`rustc --print sysroot`), or null if it cannot say. */
    private Path sysroot(Toolchain toolchain, Path dir) {
        try {
            ExternalProcess.Result result =
                    toolchain
                            .applyTo(
                                    ExternalProcess.of(toolchain.rustc(), "--print", "sysroot")
                                            .in(dir)
                                            .timeout(Duration.ofSeconds(30)),
                                    env)
                            .run();
            String line =
                    result.output()
                            .lines()
                            .map(String::trim)
                            .filter(l -> l.startsWith("/"))
                            .findFirst()
                            .orElse("");
            return result.ok() && !line.isEmpty() ? Path.of(line) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String sha256OrNull(Path file) {
        try {
            return Files.isRegularFile(file) ? Digests.hex(Digests.sha256(file)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Verifies the kept zip again, or, when neither the zip nor its manifest changed since a run of
     * this same verifier code verified it under these rules (AnswerCache: the files' identities,
     * the rules, the code's jar), takes that verdict and the manifest's facts about the zip instead
     * of reading it. {@code code} null (classes from a directory, as in tests): always verify.
     */
    static VerifiedZip reverify(
            AnswerCache cache,
            Path zip,
            Path manifestPath,
            BuildManifest manifest,
            ZipRules rules,
            Path code) {
        AnswerCache.Key key =
                cache.key("verify-zip")
                        .file(zip)
                        .file(manifestPath)
                        .text("rules", rules.toString());
        if (code == null) key.uncacheable();
        else key.file(code);
        VerifiedZip[] verified = new VerifiedZip[1];
        String sha256 =
                key.answer(
                        () -> {
                            verified[0] = ZipVerifier.verify(zip, rules);
                            return verified[0].sha256Hex();
                        });
        if (verified[0] != null) return verified[0];
        return new VerifiedZip(
                zip,
                manifest.size(),
                manifest.unzippedSize(),
                sha256,
                manifest.codeSha256(),
                manifest.machine(),
                manifest.highestGlibc(),
                manifest.entries());
    }

    /**
     * The jar holding the verifier's code (JBang's compiled script), or null when it is not a jar.
     */
    private static Path verifierCode() {
        try {
            Path location =
                    Path.of(
                            ZipVerifier.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            return Files.isRegularFile(location) ? location : null;
        } catch (RuntimeException | java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String elapsed(long start) {
        return String.format("[%5d ms] ", (System.nanoTime() - start) / 1_000_000);
    }

    private Toolchain toolchain(String requested, GlibcVersion maxGlibc) {
        ToolchainResolver resolver = new ToolchainResolver(host, probes.apply(env), env, maxGlibc);
        try {
            Optional<Toolchain> resolved = resolver.resolve(requested);
            if (resolved.isPresent()) return resolved.get();
            // an aarch64 host whose glibc is newer than the limit: install cargo-zigbuild and use
            // it
            log.progress(
                    "host glibc "
                            + host.glibc()
                            + " is newer than the limit "
                            + maxGlibc
                            + ": building with cargo-zigbuild for "
                            + Toolchain.TRIPLE
                            + "."
                            + maxGlibc);
            Path bin = ZigbuildInstaller.ensure(env, log);
            Map<String, String> withZig = new HashMap<>(env);
            withZig.put("PATH", bin + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
            Optional<Toolchain> zig =
                    new ToolchainResolver(host, probes.apply(withZig), withZig, maxGlibc)
                            .zigbuild();
            Toolchain t =
                    zig.orElseThrow(
                            () ->
                                    PipelineException.prerequisite(
                                            "cargo-zigbuild is installed in "
                                                    + bin
                                                    + " but cargo is not on PATH: install Rust (rustup)"));
            Map<String, String> vars = new HashMap<>(t.env());
            vars.put("PATH", withZig.get("PATH"));
            return new Toolchain(
                    t.route(), t.cargo(), t.build(), t.target(), vars, t.unsetEnv(), t.rustc());
        } catch (ToolchainResolver.Missing missing) {
            return provision(missing.packages, requested, maxGlibc);
        }
    }

    private Toolchain provision(List<String> packages, String requested, GlibcVersion maxGlibc) {
        List<String> commands = Provisioner.commands(packages);
        if (!host.root() || !ExternalProcess.onPath("apt-get", env)) {
            throw PipelineException.prerequisite(
                    "no aarch64 Rust toolchain found (cargo-zigbuild, Debian's rustc-web with"
                            + " the arm64 std, or rustup with the "
                            + Toolchain.TRIPLE
                            + " target): as root run: "
                            + String.join(" && ", commands)
                            + " (or install cargo-zigbuild, or rustup target add "
                            + Toolchain.TRIPLE
                            + ")");
        }
        try (Actions.Group group = actions.group("provision the aarch64 toolchain")) {
            new Provisioner(Provisioner.realRunner(env), log)
                    .install(packages, log.verbose() || actions.inActions());
        }
        try {
            return new ToolchainResolver(host, probes.apply(env), env, maxGlibc)
                    .resolve(requested)
                    .orElseThrow(
                            () ->
                                    PipelineException.prerequisite(
                                            "provisioning finished but no toolchain route works"));
        } catch (ToolchainResolver.Missing stillMissing) {
            throw PipelineException.prerequisite(
                    "provisioned "
                            + String.join(" ", packages)
                            + " but still missing "
                            + String.join(" ", stillMissing.packages)
                            + ": check the apt output above (--verbose)");
        }
    }

    private static List<ZipInput> includes(CargoPackage crate) {
        List<ZipInput> inputs = new ArrayList<>();
        for (String include : crate.includes()) {
            Path source = crate.crateDir().resolve(include).normalize();
            if (!Files.isRegularFile(source)) {
                throw PipelineException.notFound(
                        "declared include '"
                                + include
                                + "' (Cargo.toml [package.metadata.lambda.build]"
                                + " include) is not a file at "
                                + source
                                + ": create it or remove it from the list");
            }
            inputs.add(new ZipInput(include, source));
        }
        return inputs;
    }

    /**
     * Size, modification time and inode of every input, plus the timestamp: cheap to compute, no
     * content read.
     */
    static String inputsFingerprint(Path binary, List<ZipInput> includes, LambdaZipWriter writer)
            throws IOException {
        StringBuilder text = new StringBuilder("lambda-zip v1 " + writer.timestamp() + "\n");
        List<ZipInput> all = new ArrayList<>();
        all.add(new ZipInput(ZipRules.BOOTSTRAP, binary));
        all.addAll(includes);
        for (ZipInput input : all) {
            java.nio.file.attribute.BasicFileAttributes a =
                    Files.readAttributes(
                            input.source(), java.nio.file.attribute.BasicFileAttributes.class);
            text.append(input.name())
                    .append(' ')
                    .append(input.source().toAbsolutePath())
                    .append(' ')
                    .append(a.size())
                    .append(' ')
                    .append(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS))
                    .append(' ')
                    .append(a.fileKey())
                    .append('\n');
        }
        return Digests.hex(
                Digests.sha256().digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Hash of everything that decides the zip's bytes, in the writer's order. */
    static String inputsSha256(Path binary, List<ZipInput> includes, LambdaZipWriter writer)
            throws IOException {
        MessageDigest digest = Digests.sha256();
        digest.update(
                ("lambda-zip v1 level " + LambdaZipWriter.LEVEL + " " + writer.timestamp() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        List<ZipInput> all = new ArrayList<>();
        all.add(new ZipInput(ZipRules.BOOTSTRAP, binary));
        includes.stream().sorted(java.util.Comparator.comparing(ZipInput::name)).forEach(all::add);
        byte[] buffer = new byte[1 << 16];
        for (ZipInput input : all) {
            digest.update(
                    (input.name() + "\0" + Files.size(input.source()) + "\0")
                            .getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(input.source())) {
                int n;
                while ((n = in.read(buffer)) > 0) digest.update(buffer, 0, n);
            }
        }
        return Digests.hex(digest.digest());
    }

    private Map<String, String> versions(Toolchain toolchain, Path dir) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("cargo", version(toolchain, dir, toolchain.cargo(), "-V"));
        versions.put("rustc", version(toolchain, dir, toolchain.rustc(), "-V"));
        if (toolchain.route() == ToolchainRoute.ZIGBUILD)
            versions.put(
                    "cargo-zigbuild",
                    version(toolchain, dir, toolchain.build().get(0), "--version"));
        if (toolchain.env().containsKey(Toolchain.LINKER_VARIABLE)) {
            versions.put(
                    "linker",
                    version(toolchain, dir, ToolchainResolver.CROSS_GCC, "-dumpfullversion"));
        }
        return versions;
    }

    /**
     * The tool's version line, remembered by the binary's identity (AnswerCache); "unknown" if it
     * cannot say.
     */
    private String version(Toolchain toolchain, Path dir, String program, String flag) {
        Map<String, String> vars = new HashMap<>(env);
        toolchain.unsetEnv().forEach(vars::remove);
        vars.putAll(toolchain.env());
        String answer =
                AnswerCache.of(env)
                        .key(program + " " + flag)
                        .program(program, vars)
                        .answer(
                                () -> {
                                    try {
                                        ExternalProcess.Result result =
                                                toolchain
                                                        .applyTo(
                                                                ExternalProcess.of(program, flag)
                                                                        .in(dir)
                                                                        .timeout(
                                                                                Duration.ofSeconds(
                                                                                        30)),
                                                                env)
                                                        .run();
                                        return result.ok()
                                                ? result.output()
                                                        .lines()
                                                        .findFirst()
                                                        .orElse("")
                                                        .trim()
                                                : null;
                                    } catch (PipelineException e) {
                                        return null;
                                    }
                                });
        return answer != null ? answer : "unknown";
    }
}
