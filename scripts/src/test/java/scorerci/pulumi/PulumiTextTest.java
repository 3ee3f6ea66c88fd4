package scorerci.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pulumi's diagnostic text cut down to one line of ours. */
class PulumiTextTest {
    @Test
    void colourCodesAndTagsGo() {
        assertThat(PulumiText.plain("\u001B[31;1merror:\u001B[0m <{%fg 1%}>bad<{%reset%}> thing"))
                .isEqualTo("error: bad thing");
    }

    @Test
    void theSeverityPrefixIsNotRepeated() {
        assertThat(PulumiText.withoutPrefix("error: error: it broke")).isEqualTo("it broke");
        assertThat(PulumiText.withoutPrefix("warning: old layer")).isEqualTo("old layer");
        assertThat(PulumiText.withoutPrefix("no prefix: kept")).isEqualTo("no prefix: kept");
    }

    @Test
    void aNodeStackTraceStaysOutOfTheOneLineMessage() {
        String programError =
                "\u001B[31mRunning program '/repo/infra/aws' failed with an unhandled exception:\u001B[0m\n"
                        + "    Error: Rust scorer zip not found at /repo/rust-scorer-artifact/bootstrap.zip\n"
                        + "        at loadRustScorerZip (/repo/infra/aws/rust-scorer-zip.ts:92:15)\n"
                        + "        at Object.<anonymous> (/repo/infra/aws/index.ts:12:19)\n"
                        + "        at Module._compile (node:internal/modules/cjs/loader:1554:14)\n";
        assertThat(PulumiText.oneLine(programError))
                .isEqualTo(
                        "Running program '/repo/infra/aws' failed with an "
                                + "unhandled exception: Error: Rust scorer zip not found at /repo/rust-scorer-artifact/bootstrap.zip");
    }

    @Test
    void aGoPanicAndAPythonTracebackToo() {
        assertThat(
                        PulumiText.oneLine(
                                "plugin crashed\npanic: runtime error\ngoroutine 1 [running]:\nmain.go:12"))
                .isEqualTo("plugin crashed");
        assertThat(
                        PulumiText.oneLine(
                                "failed\nTraceback (most recent call last):\n  File \"x.py\", line 1"))
                .isEqualTo("failed");
    }

    @Test
    void longMessagesAreCut() {
        assertThat(PulumiText.oneLine("x".repeat(1000), 50)).hasSize(50).endsWith("…");
    }
}
