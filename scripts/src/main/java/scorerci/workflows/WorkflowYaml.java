package scorerci.workflows;

import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import scorerci.core.PipelineException;

/**
 * Parses a workflow with snakeyaml-engine twice: as nodes with source marks (where each key and
 * value sits, so edits can target exact lines) and as plain Java values (to compare what an edit
 * meant with what it did). A file that is not valid YAML, or whose top level is not a mapping, is a
 * USAGE error "file:line: problem", and nothing gets written.
 */
public final class WorkflowYaml {
    private WorkflowYaml() {}

    public record Parsed(MappingNode root, Map<String, Object> values) {}

    public static Parsed parse(String displayName, String text) {
        LoadSettings settings =
                LoadSettings.builder()
                        .setLabel(displayName)
                        .setUseMarks(true)
                        .setAllowDuplicateKeys(false)
                        .build();
        try {
            Optional<Node> node = new Compose(settings).composeString(text);
            Object values = new Load(settings).loadFromString(text);
            if (node.isEmpty()
                    || !(node.get() instanceof MappingNode root)
                    || !(values instanceof Map<?, ?> map)) {
                throw PipelineException.usage(
                        displayName + ":1: a workflow must be a YAML mapping (name, on, jobs)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            return new Parsed(root, typed);
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            int line = mark.map(m -> m.getLine() + 1).orElse(1);
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw PipelineException.usage(
                    displayName
                            + ":"
                            + line
                            + ": "
                            + oneLine(problem)
                            + " (fix the YAML; nothing was written)");
        } catch (YamlEngineException e) {
            throw PipelineException.usage(
                    displayName
                            + ":1: "
                            + oneLine(e.getMessage())
                            + " (fix the YAML; nothing was written)");
        }
    }

    private static String oneLine(String s) {
        return s == null ? "invalid YAML" : s.replaceAll("\\s+", " ").trim();
    }
}
