package scorerci.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToggleMarkerTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "plain",
                "semi; colon; \"quotes\"",
                "back\\slash and # hash",
                "ünïcödé ✓",
                "was=\"x\"; until=2099-01-01",
                ""
            })
    void anyReasonAndOriginalLineSurviveRenderAndParse(String text) {
        ToggleMarker m =
                new ToggleMarker(
                        ToggleMarker.DISABLED_SUMMARY,
                        text,
                        LocalDate.of(2025, 1, 10),
                        LocalDate.of(2025, 2, 1),
                        "needs: [test, ref]  # " + text);
        String line = "    if: ${{ false }}  " + m.render();
        assertThat(ToggleMarker.parse(line)).isEqualTo(m);
    }

    @Test
    void optionalFieldsMayBeAbsent() {
        ToggleMarker m = new ToggleMarker(ToggleMarker.DISABLED_SUMMARY, "r", null, null, null);
        assertThat(m.render()).isEqualTo("# TODO(toggle-tests): tests disabled; reason=\"r\"");
        assertThat(ToggleMarker.parse("  if: x  " + m.render())).isEqualTo(m);
    }

    @Test
    void damagedMarkersAreRejected() {
        assertThatThrownBy(
                        () ->
                                ToggleMarker.parse(
                                        "# TODO(toggle-tests): tests disabled; reason=\"open"))
                .hasMessageContaining("unterminated");
        assertThatThrownBy(
                        () -> ToggleMarker.parse("# TODO(toggle-tests): tests disabled; since=Jan"))
                .hasMessageContaining("YYYY-MM-DD");
        assertThatThrownBy(
                        () -> ToggleMarker.parse("# TODO(toggle-tests): tests disabled; nonsense"))
                .hasMessageContaining("key=value");
    }
}
