package scorerci.lambda;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.UpdateAliasResponse;

/**
 * Where an alias sends traffic: its stable version gets whatever the additional versions do not.
 * {@code weights} maps a version to its share 0.0–1.0 (Lambda allows one extra version).
 *
 * @param revisionId the alias revision, for an optimistic lock on the next UpdateAlias
 */
public record AliasRouting(
        String alias, String stableVersion, Map<String, Double> weights, String revisionId) {
    public AliasRouting {
        weights = Map.copyOf(weights);
    }

    static AliasRouting of(GetAliasResponse a) {
        return new AliasRouting(
                a.name(),
                a.functionVersion(),
                a.routingConfig() == null ? Map.of() : a.routingConfig().additionalVersionWeights(),
                a.revisionId());
    }

    static AliasRouting of(UpdateAliasResponse a) {
        return new AliasRouting(
                a.name(),
                a.functionVersion(),
                a.routingConfig() == null ? Map.of() : a.routingConfig().additionalVersionWeights(),
                a.revisionId());
    }

    static AliasRouting of(AliasConfiguration a) {
        return new AliasRouting(
                a.name(),
                a.functionVersion(),
                a.routingConfig() == null ? Map.of() : a.routingConfig().additionalVersionWeights(),
                a.revisionId());
    }

    /** The version receiving a share besides the stable one, or null when all traffic is stable. */
    public String canaryVersion() {
        return weights.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
    }

    public boolean split() {
        return canaryVersion() != null;
    }

    /** Percent per version, stable first: {"5": 90, "6": 10}. */
    public Map<String, BigDecimal> percentages() {
        Map<String, BigDecimal> shares = new TreeMap<>();
        BigDecimal rest = BigDecimal.valueOf(100);
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            BigDecimal pct = percent(e.getValue());
            shares.put(e.getKey(), pct);
            rest = rest.subtract(pct);
        }
        Map<String, BigDecimal> ordered = new java.util.LinkedHashMap<>();
        ordered.put(stableVersion, rest.stripTrailingZeros());
        shares.forEach(ordered::putIfAbsent);
        return ordered;
    }

    /** "live → version 5: 90 %, version 6: 10 %" */
    public String describe() {
        return alias
                + " → "
                + percentages().entrySet().stream()
                        .map(
                                e ->
                                        "version "
                                                + e.getKey()
                                                + ": "
                                                + e.getValue().toPlainString()
                                                + " %")
                        .collect(Collectors.joining(", "));
    }

    private static BigDecimal percent(double weight) {
        return BigDecimal.valueOf(weight)
                .multiply(BigDecimal.valueOf(100))
                .setScale(2, RoundingMode.HALF_UP)
                .stripTrailingZeros();
    }
}
