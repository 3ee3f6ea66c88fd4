package scorerci.fakes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A stand-in `npm` for the unit tests of deploy's dependency step, so they need no network: it
 * records "cwd|args" per call and, for `npm ci`/`npm install`, does what matters to deploy: it
 * (re)creates node_modules with npm's hidden lockfile node_modules/.package-lock.json. It can be
 * told to fail like npm does (exit 1, "npm error ..."). One real `npm ci` runs in DeployInfraTest.
 */
public final class FakeNpm {
    private final Path bin;

    private FakeNpm(Path bin) {
        this.bin = bin;
    }

    public static FakeNpm install(Path dir, boolean fail) {
        Path bin = dir.resolve("npm-bin");
        try {
            Files.createDirectories(bin);
            Path npm = bin.resolve("npm");
            Files.writeString(
                    npm,
                    """
                    #!/bin/sh
                    echo "$PWD|$*" >> "%s"
                    if [ "%s" = "true" ]; then
                      echo "npm error code EUSAGE"
                      echo "npm error The npm ci command can only install with an existing package-lock.json"
                      exit 1
                    fi
                    case "$1" in
                      ci|install)
                        rm -rf node_modules && mkdir -p node_modules/@pulumi/pulumi
                        cp package-lock.json node_modules/.package-lock.json 2>/dev/null || echo '{}' > node_modules/.package-lock.json
                        echo "added 223 packages in 1s" ;;
                    esac
                    """
                            .formatted(bin.resolve("calls.log"), fail));
            Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FakeNpm(bin);
    }

    public Path binDir() {
        return bin;
    }

    /** "cwd|args" per call. */
    public List<String> calls() {
        try {
            Path log = bin.resolve("calls.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
