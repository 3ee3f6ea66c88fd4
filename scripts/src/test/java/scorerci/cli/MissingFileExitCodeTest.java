package scorerci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scorerci.core.ExitCode;
import scorerci.testing.CommandHarness;

/**
 * One exit code per kind of failure: a file or directory that is not there is NOT_FOUND (8) in
 * every command.
 */
class MissingFileExitCodeTest {
    @TempDir Path dir;

    @Test
    void everyCommandSaysNotFoundForAMissingFile() {
        String zip = dir.resolve("no-such.zip").toString();
        List<List<String>> commands =
                List.of(
                        List.of("verify-zip", zip),
                        List.of(
                                "upload-artifact",
                                "--tag",
                                "t",
                                "--file",
                                zip,
                                "--store",
                                dir.resolve("store").toString()),
                        List.of(
                                "verify-deploy",
                                "staging",
                                "--function",
                                "f",
                                "--artifact",
                                zip,
                                "--endpoint-url",
                                "http://127.0.0.1:9"),
                        List.of(
                                "rollout",
                                "staging",
                                "--percent",
                                "10",
                                "--function",
                                "f",
                                "--artifact",
                                zip,
                                "--endpoint-url",
                                "http://127.0.0.1:9"),
                        List.of("build-zip", "--crate", dir.resolve("no-such-crate").toString()),
                        List.of(
                                "toggle-tests",
                                "status",
                                "--workflow",
                                dir.resolve("no-such.yml").toString()));
        for (List<String> command : commands) {
            var r =
                    CommandHarness.create()
                            .workDir(dir)
                            .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE0000000000")
                            .env("AWS_SECRET_ACCESS_KEY", "not-a-secret")
                            .run(command.toArray(String[]::new));
            assertThat(r.exitCode())
                    .as(String.join(" ", command) + "\n" + r)
                    .isEqualTo(ExitCode.NOT_FOUND.code);
            assertThat(r.err())
                    .as(String.join(" ", command))
                    .containsPattern("(?m)^error: .*(does not exist|not found|no zip at|no such)");
        }
    }
}
