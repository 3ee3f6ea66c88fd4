package scorerci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import scorerci.testing.CommandHarness;

/**
 * JBang silently drops unknown catalog keys, so a typo ("java-version") would do nothing. This pins
 * the catalog: known keys only, every alias runs an existing subcommand, and every subcommand has
 * an alias.
 */
class CatalogTest {
    private static final Set<String> ALIAS_KEYS =
            Set.of(
                    "script-ref",
                    "description",
                    "arguments",
                    "runtime-options",
                    "dependencies",
                    "repositories",
                    "classpaths",
                    "properties",
                    "java",
                    "main",
                    "sources",
                    "files",
                    "java-agents",
                    "compile-options",
                    "native-image",
                    "native-options");

    @Test
    void everyAliasIsWellFormedAndNamesARealSubcommand() throws Exception {
        JsonNode catalog = new ObjectMapper().readTree(Path.of("jbang-catalog.json").toFile());
        assertThat(catalog.fieldNames())
                .toIterable()
                .allMatch(
                        k -> Set.of("description", "aliases", "catalogs", "templates").contains(k));
        Set<String> subcommands =
                Main.commandLine(CommandHarness.context()).getSubcommands().keySet();
        Set<String> aliased = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = catalog.get("aliases").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> alias = it.next();
            JsonNode body = alias.getValue();
            assertThat(body.fieldNames())
                    .toIterable()
                    .as(alias.getKey())
                    .allMatch(ALIAS_KEYS::contains);
            assertThat(body.path("script-ref").asText())
                    .as(alias.getKey())
                    .isEqualTo("scripts/Pipeline.java");
            assertThat(body.path("description").asText())
                    .as(alias.getKey() + " description")
                    .isNotBlank();
            String subcommand = body.path("arguments").path(0).asText();
            assertThat(subcommands)
                    .as("alias " + alias.getKey() + " runs subcommand")
                    .contains(subcommand);
            aliased.add(subcommand);
        }
        assertThat(aliased).as("every subcommand has an alias").containsAll(subcommands);
    }
}
