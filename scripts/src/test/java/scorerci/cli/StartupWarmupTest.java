package scorerci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The warm-up is a head start and nothing more: a daemon (it can never hold the JVM's exit after a
 * command that did not need it) that ends by itself.
 */
class StartupWarmupTest {
    @Test
    void itIsADaemonThatEndsByItself() throws Exception {
        Thread thread = StartupWarmup.start();
        assertThat(thread.isDaemon()).as("daemon").isTrue();
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(thread.isAlive()).as("still warming after 30 s").isFalse();
    }

    @Test
    void onlyRunsThatReadZipsOrHashGetOne() {
        assertThat(StartupWarmup.pays(new String[] {"verify-zip", "x.zip"})).isTrue();
        assertThat(StartupWarmup.pays(new String[] {"verify-zip", "--", "--help"})).isTrue();
        assertThat(StartupWarmup.pays(new String[] {"verify-zip", "--help"})).isFalse();
        assertThat(StartupWarmup.pays(new String[] {"build-zip", "-V"})).isFalse();
        assertThat(StartupWarmup.pays(new String[] {"toggle-tests", "status"})).isFalse();
        assertThat(StartupWarmup.pays(new String[] {})).isFalse();
    }
}
