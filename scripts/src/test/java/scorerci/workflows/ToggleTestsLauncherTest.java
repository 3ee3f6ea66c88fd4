package scorerci.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import scorerci.process.ExternalProcess;

/** Black box: the aliases through the repository's ./jbang launcher, as CI and users run them. */
@Tag("slow") // JBang compiles scripts/Pipeline.java for it: not in scripts/run-tests.sh --fast
class ToggleTestsLauncherTest {
    private static ExternalProcess.Result jbang(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "./jbang";
        System.arraycopy(args, 0, command, 1, args.length);
        return ExternalProcess.of(command).timeout(Duration.ofMinutes(5)).run();
    }

    @Test
    void ciRunsTheToggleCheckOnTheRepositoryWorkflows() {
        ExternalProcess.Result r = jbang("toggle-tests@.", "check");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("ok: 4 workflow(s), 0 test job(s) disabled");
    }

    @Test
    void exitCodesReachTheShell() {
        ExternalProcess.Result r = jbang("toggle-tests@.", "status", "--workflow", "no/such.yml");
        assertThat(r.exitCode()).isEqualTo(8);
        assertThat(r.output()).contains("error: no/such.yml: no such workflow file");
        assertThat(jbang("ci@.", "qa").exitCode()).isEqualTo(2);
    }
}
