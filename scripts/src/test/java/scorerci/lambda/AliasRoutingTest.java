package scorerci.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AliasRoutingTest {
    @Test
    void describesStableFirstWithTheRemainder() {
        var split = new AliasRouting("live", "5", Map.of("6", 0.1), "r1");
        assertThat(split.describe()).isEqualTo("live → version 5: 90 %, version 6: 10 %");
        assertThat(split.canaryVersion()).isEqualTo("6");
        assertThat(new AliasRouting("live", "5", Map.of("6", 0.025), "r").describe())
                .isEqualTo("live → version 5: 97.5 %, version 6: 2.5 %");
    }

    @Test
    void noWeightsOrAZeroWeightIsNoSplit() {
        assertThat(new AliasRouting("live", "5", Map.of(), "r").describe())
                .isEqualTo("live → version 5: 100 %");
        assertThat(new AliasRouting("live", "5", Map.of("6", 0.0), "r").split()).isFalse();
    }

    @Test
    void layerNamesAreReadFromLayerVersionArnsOnly() {
        assertThat(
                        DeploymentVerifier.layerName(
                                "arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-collector-arm64-ver-0-117-0:3"))
                .isEqualTo("aws-otel-collector-arm64-ver-0-117-0");
        assertThat(DeploymentVerifier.layerName("aws-otel-collector-arm64-ver-0-117-0")).isNull();
        assertThat(DeploymentVerifier.layerName(null)).isNull();
    }
}
