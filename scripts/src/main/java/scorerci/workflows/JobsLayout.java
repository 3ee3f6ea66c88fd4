package scorerci.workflows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import scorerci.core.PipelineException;

/**
 * Where the jobs of a workflow sit in its text: each job's key line, the indentation of its body,
 * its line range, and the exact lines of its `if:` and `needs:`. Built from snakeyaml-engine's node
 * marks, so edits never guess at structure from indentation alone. Line numbers are 0-based indexes
 * into {@link WorkflowText#split}.
 */
public final class JobsLayout {
    /** How a job's `needs` is written. */
    public enum NeedsKind {
        SCALAR,
        FLOW,
        BLOCK
    }

    /** One entry of `needs`: its value and where its source text sits on its line. */
    public record NeedsItem(String value, int line, int startColumn, int endColumn) {}

    public record Needs(
            int keyLine,
            NeedsKind kind,
            List<NeedsItem> items,
            int valueStartLine,
            int valueEndLine,
            int valueStartColumn) {
        public boolean contains(String job) {
            return items.stream().anyMatch(i -> i.value().equals(job));
        }
    }

    /** A single-line `if:` (the only form this tool edits). */
    public record IfClause(int keyLine, boolean singleLine) {}

    public record Job(
            String name,
            int keyLine,
            int keyColumn,
            boolean blockBody,
            int bodyIndent,
            int lastLine,
            Needs needs,
            IfClause ifClause) {}

    private final int jobsKeyLine;
    private final int jobsIndent;
    private final Map<String, Job> jobs;

    private JobsLayout(int jobsKeyLine, int jobsIndent, Map<String, Job> jobs) {
        this.jobsKeyLine = jobsKeyLine;
        this.jobsIndent = jobsIndent;
        this.jobs = jobs;
    }

    public int jobsKeyLine() {
        return jobsKeyLine;
    }

    /** Column of the job keys: where the legacy form put its "# test:". */
    public int jobsIndent() {
        return jobsIndent;
    }

    public Map<String, Job> jobs() {
        return jobs;
    }

    public Job job(String name) {
        return jobs.get(name);
    }

    public static JobsLayout of(String displayName, MappingNode root, int lineCount) {
        NodeTuple jobsTuple = find(root, "jobs");
        if (jobsTuple == null) {
            throw PipelineException.usage(
                    displayName + ":1: no 'jobs:' mapping; is this a GitHub Actions workflow?");
        }
        if (!(jobsTuple.getValueNode() instanceof MappingNode jobsNode)
                || jobsNode.getFlowStyle() == FlowStyle.FLOW) {
            throw PipelineException.usage(
                    displayName
                            + ":"
                            + (line(jobsTuple.getKeyNode()) + 1)
                            + ": 'jobs' must be a block mapping for toggle-tests to edit it");
        }
        List<NodeTuple> tuples = jobsNode.getValue();
        Map<String, Job> jobs = new LinkedHashMap<>();
        int jobsIndent = tuples.isEmpty() ? 2 : column(tuples.get(0).getKeyNode());
        int jobsEnd = Math.min(endLine(jobsNode), lineCount - 1);
        for (int i = 0; i < tuples.size(); i++) {
            NodeTuple t = tuples.get(i);
            if (!(t.getKeyNode() instanceof ScalarNode key)) continue;
            int keyLine = line(key);
            int lastLine =
                    i + 1 < tuples.size() ? line(tuples.get(i + 1).getKeyNode()) - 1 : jobsEnd;
            Node body = t.getValueNode();
            boolean block =
                    body instanceof MappingNode m
                            && m.getFlowStyle() != FlowStyle.FLOW
                            && !m.getValue().isEmpty()
                            && line(m.getValue().get(0).getKeyNode()) > keyLine;
            int bodyIndent =
                    block ? column(((MappingNode) body).getValue().get(0).getKeyNode()) : -1;
            Needs needs = null;
            IfClause ifClause = null;
            if (body instanceof MappingNode m) {
                NodeTuple n = find(m, "needs");
                if (n != null) needs = needsOf(n);
                NodeTuple f = find(m, "if");
                if (f != null) {
                    int l = line(f.getKeyNode());
                    ifClause =
                            new IfClause(
                                    l,
                                    line(f.getValueNode()) == l
                                            && endLineOfScalar(f.getValueNode()) == l);
                }
            }
            jobs.put(
                    key.getValue(),
                    new Job(
                            key.getValue(),
                            keyLine,
                            column(key),
                            block,
                            bodyIndent,
                            lastLine,
                            needs,
                            ifClause));
        }
        return new JobsLayout(line(jobsTuple.getKeyNode()), jobsIndent, jobs);
    }

    private static Needs needsOf(NodeTuple tuple) {
        int keyLine = line(tuple.getKeyNode());
        Node value = tuple.getValueNode();
        List<NeedsItem> items = new ArrayList<>();
        NeedsKind kind;
        if (value instanceof ScalarNode s) {
            kind = NeedsKind.SCALAR;
            items.add(item(s));
        } else if (value instanceof SequenceNode seq) {
            kind = seq.getFlowStyle() == FlowStyle.FLOW ? NeedsKind.FLOW : NeedsKind.BLOCK;
            for (Node n : seq.getValue()) {
                if (n instanceof ScalarNode s) items.add(item(s));
                else items.add(new NeedsItem("<not a job name>", line(n), column(n), column(n)));
            }
        } else {
            kind = NeedsKind.SCALAR;
            items.add(new NeedsItem("<not a job name>", line(value), column(value), column(value)));
        }
        return new Needs(keyLine, kind, items, line(value), endLineOfScalar(value), column(value));
    }

    private static NeedsItem item(ScalarNode s) {
        int endColumn =
                s.getEndMark().map(m -> m.getLine() == line(s) ? m.getColumn() : -1).orElse(-1);
        return new NeedsItem(s.getValue(), line(s), column(s), endColumn);
    }

    /** The last line a node's own text occupies (block mappings end where the next key starts). */
    private static int endLineOfScalar(Node n) {
        return n.getEndMark()
                .map(
                        m ->
                                m.getColumn() == 0 && m.getLine() > line(n)
                                        ? m.getLine() - 1
                                        : m.getLine())
                .orElse(line(n));
    }

    private static int endLine(Node n) {
        return n.getEndMark()
                .map(m -> m.getColumn() == 0 ? m.getLine() - 1 : m.getLine())
                .orElse(Integer.MAX_VALUE);
    }

    static NodeTuple find(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) return t;
        }
        return null;
    }

    static int line(Node n) {
        return n.getStartMark().map(m -> m.getLine()).orElse(0);
    }

    static int column(Node n) {
        return n.getStartMark().map(m -> m.getColumn()).orElse(0);
    }
}
