package scorerci.zip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import scorerci.core.DefaultPaths;
import scorerci.core.Digests;
import scorerci.core.PipelineException;

/**
 * The one list of files a scorer zip holds besides {@code bootstrap}: {@code
 * [package.metadata.lambda.build] include} in the crate's Cargo.toml, the key cargo-lambda reads.
 * build-zip packages it (through cargo metadata, {@link #fromPackageMetadata}), and verify-zip
 * (inside the repository), download-artifact's verification and deploy's preflight require it
 * (through {@link #findFrom}); so a file added to the list is packaged and required everywhere at
 * once.
 *
 * @param cargoToml where the list was read (for messages)
 * @param includes entry names relative to the crate directory, as declared
 */
public record DeclaredEntries(Path cargoToml, List<String> includes) {
    /** The Lambda crate's directory, relative to the repository root (build-zip's --crate). */
    public static final String CRATE_DIR = DefaultPaths.CRATE_DIR;

    private static final long MAX_CARGO_TOML_BYTES = 1 << 20;
    private static final String MEMO_NAME = ".scorer-declared-entries";
    private static final String MEMO_HEADER = "declared-entries v1 sha256 ";

    public DeclaredEntries {
        includes = List.copyOf(includes);
    }

    /** bootstrap first, then the declared includes: what every zip of this crate must hold. */
    public List<String> required() {
        List<String> all = new ArrayList<>(List.of(ZipRules.BOOTSTRAP));
        includes.stream().filter(i -> !i.equals(ZipRules.BOOTSTRAP)).forEach(all::add);
        return List.copyOf(all);
    }

    /**
     * The declaration of the repository that contains {@code start} (the first directory upward
     * holding {@code scorer/Cargo.toml}), or empty outside any checkout of it.
     */
    public static Optional<DeclaredEntries> findFrom(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path manifest = dir.resolve(CRATE_DIR).resolve("Cargo.toml");
            if (Files.isRegularFile(manifest)) return Optional.of(read(manifest));
        }
        return Optional.empty();
    }

    /**
     * What a Lambda zip must hold inside the checkout that contains {@code start} ({@link
     * #required}), or nothing outside one: the download and upload checks' one rule.
     */
    public static List<String> requiredFrom(Path start) {
        return findFrom(start).map(DeclaredEntries::required).orElse(List.of());
    }

    /**
     * Reads the list from a Cargo.toml (USAGE when the file is not TOML or the key has the wrong
     * shape). The answer is remembered beside it ({@link #memoFile}) under the SHA-256 of the
     * file's bytes: parsing TOML starts Jackson's object mapper, some 100 ms of a 0.2 s verify-zip,
     * while hashing a few kilobytes takes well under one. Any change to the file changes the
     * digest, and a remembered list passes the same name checks as a parsed one, or is parsed
     * again.
     */
    public static DeclaredEntries read(Path cargoToml) {
        byte[] bytes;
        try {
            if (Files.size(cargoToml) > MAX_CARGO_TOML_BYTES) throw tooLarge(cargoToml);
            bytes = Files.readAllBytes(cargoToml);
        } catch (IOException e) {
            throw unreadable(cargoToml, e);
        }
        if (bytes.length > MAX_CARGO_TOML_BYTES) throw tooLarge(cargoToml);
        String digest = Digests.hex(Digests.sha256().digest(bytes));
        Path memo = memoFile(cargoToml);
        List<String> remembered = recall(memo, digest, cargoToml);
        if (remembered != null) return new DeclaredEntries(cargoToml, remembered);
        JsonNode root;
        try {
            root = new TomlMapper().readTree(bytes);
        } catch (IOException e) {
            throw unreadable(cargoToml, e);
        }
        List<String> includes =
                fromPackageMetadata(root.path("package").path("metadata"), cargoToml);
        remember(memo, digest, includes);
        return new DeclaredEntries(cargoToml, includes);
    }

    /**
     * Where {@link #read} remembers a Cargo.toml's list: cargo's target directory beside it
     * (ignored by git, emptied by {@code cargo clean}).
     */
    static Path memoFile(Path cargoToml) {
        return cargoToml.toAbsolutePath().resolveSibling("target").resolve(MEMO_NAME);
    }

    /** The remembered list for this digest, or null (none, another digest, unreadable, unsafe). */
    private static List<String> recall(Path memo, String digest, Path cargoToml) {
        try {
            if (!Files.isRegularFile(memo) || Files.size(memo) > MAX_CARGO_TOML_BYTES) return null;
            List<String> lines = Files.readAllLines(memo, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(MEMO_HEADER + digest)) return null;
            List<String> includes = new ArrayList<>();
            for (String name : lines.subList(1, lines.size())) {
                checkName(name, cargoToml);
                if (!includes.contains(name)) includes.add(name);
            }
            return List.copyOf(includes);
        } catch (IOException | RuntimeException unusable) {
            return null; // parse the file instead
        }
    }

    /**
     * Best effort, all or nothing (a temp file renamed over the old one); a read-only tree is fine.
     */
    private static void remember(Path memo, String digest, List<String> includes) {
        Path temp = null;
        try {
            Files.createDirectories(memo.getParent());
            temp = Files.createTempFile(memo.getParent(), MEMO_NAME, ".tmp");
            Files.write(
                    temp,
                    (MEMO_HEADER + digest + "\n" + String.join("\n", includes))
                            .getBytes(StandardCharsets.UTF_8));
            Files.move(
                    temp,
                    memo,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException notRemembered) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a stray temp file in target/ harms nothing
                }
            }
        }
    }

    private static PipelineException tooLarge(Path cargoToml) {
        return PipelineException.usage(
                cargoToml + " is larger than 1 MiB: is it really the crate's Cargo.toml?");
    }

    private static PipelineException unreadable(Path cargoToml, IOException e) {
        return PipelineException.usage(
                cargoToml
                        + " cannot be read as TOML ("
                        + firstLine(e.getMessage())
                        + "): fix it; its [package.metadata.lambda.build] include lists the files every zip must hold");
    }

    /**
     * The include list under a package's {@code metadata} table, from Cargo.toml or from `cargo
     * metadata` (whose package objects carry the same table as JSON). Absent means none.
     */
    public static List<String> fromPackageMetadata(JsonNode metadata, Path where) {
        JsonNode declared = metadata.path("lambda").path("build").path("include");
        if (declared.isMissingNode() || declared.isNull()) return List.of();
        if (!declared.isArray()) throw shape(where, "must be a list of file names");
        List<String> includes = new ArrayList<>();
        for (JsonNode include : declared) {
            if (!include.isTextual())
                throw shape(where, "holds " + include + ", which is not a file name");
            String name = include.asText();
            checkName(name, where);
            if (!includes.contains(name)) includes.add(name);
        }
        return List.copyOf(includes);
    }

    /** The one rule for a declared name: a relative path inside the crate, on one line. */
    private static void checkName(String name, Path where) {
        if (name.isBlank()
                || name.startsWith("/")
                || name.contains("\\")
                || name.contains(":")
                || List.of(name.split("/")).contains("..")
                || name.chars().anyMatch(Character::isISOControl)) {
            throw shape(
                    where,
                    "holds '"
                            + name.replaceAll("\\p{Cntrl}", "?")
                            + "', which is not a relative path inside the crate");
        }
    }

    private static PipelineException shape(Path where, String what) {
        return PipelineException.usage(
                "[package.metadata.lambda.build] include in "
                        + where
                        + " "
                        + what
                        + ": write it like include = [\"collector.yaml\", \"weights.json\"]");
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
    }
}
