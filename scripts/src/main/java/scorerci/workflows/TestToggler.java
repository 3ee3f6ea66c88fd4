package scorerci.workflows;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import scorerci.core.PipelineException;
import scorerci.workflows.JobsLayout.Job;
import scorerci.workflows.JobsLayout.Needs;
import scorerci.workflows.JobsLayout.NeedsItem;
import scorerci.workflows.TestJobStatus.State;
import scorerci.workflows.WorkflowText.Line;

/**
 * Turns a workflow's test job off and on again as TEXT edits, so comments, blank lines, quoting and
 * key order survive:
 *
 * <ul>
 *   <li>disable: the job stays, with {@code if: ${{ false }}} (which actionlint accepts) and a
 *       {@link ToggleMarker} carrying reason, since and until; every job whose {@code needs} names
 *       the test job loses it, the changed line keeping its original text in the marker, so the
 *       deploy still runs.
 *   <li>enable: the exact inverse (byte-identical to the file before disable), or, for the original
 *       team's legacy form (job commented out line by line under a TODO, and {@code needs: [ref] #
 *       TODO: Add back 'test' dependency ...}), the job uncommented and the dependency put back.
 * </ul>
 *
 * Every result is parsed again and compared with what the edit meant before anyone writes it; a
 * layout this class does not know is a USAGE error naming the line, never a guess.
 */
public final class TestToggler {
    private static final Pattern LEGACY_NEEDS_TODO =
            Pattern.compile("\\s+#\\s*TODO\\b.*\\badd back\\b.*", Pattern.CASE_INSENSITIVE);
    private static final String FALSE_CONDITION = "${{ false }}";

    private TestToggler() {}

    // ---------------------------------------------------------------- status

    public static TestJobStatus status(WorkflowFile wf, String jobName) {
        Job job = wf.layout().job(jobName);
        int legacyLine = legacyJobLine(wf, jobName);
        if (job != null && legacyLine >= 0) {
            throw PipelineException.usage(
                    wf.where(legacyLine)
                            + ": job '"
                            + jobName
                            + "' exists and is also commented out here; remove one of them by hand");
        }
        if (job != null) {
            if (job.ifClause() != null) {
                String line = wf.lines().get(job.ifClause().keyLine()).content();
                if (ToggleMarker.isOn(line)) {
                    ToggleMarker m = marker(wf, job.ifClause().keyLine());
                    return new TestJobStatus(
                            wf,
                            jobName,
                            State.DISABLED,
                            m.reason(),
                            m.since(),
                            m.until(),
                            job.ifClause().keyLine(),
                            "");
                }
            }
            return new TestJobStatus(
                    wf, jobName, State.ENABLED, null, null, null, job.keyLine(), "");
        }
        if (legacyLine >= 0) {
            String note = "";
            if (legacyLine > 0) {
                Line above = wf.lines().get(legacyLine - 1);
                if (isLegacyTodo(above, wf.layout().jobsIndent()))
                    note = above.body().substring(1).trim();
            }
            return new TestJobStatus(wf, jobName, State.LEGACY, null, null, null, legacyLine, note);
        }
        return new TestJobStatus(wf, jobName, State.ABSENT, null, null, null, 0, "");
    }

    // ---------------------------------------------------------------- disable

    /** The text of the workflow with the test job disabled; the same text if nothing changes. */
    public static String disable(
            WorkflowFile wf, String jobName, String reason, LocalDate today, LocalDate until) {
        TestJobStatus current = status(wf, jobName);
        LocalDate since = today;
        WorkflowFile enabled = wf;
        switch (current.state()) {
            case ABSENT -> throw noJob(wf, jobName);
            case DISABLED -> {
                // re-disabling updates reason/until: undo in memory, keep the original date
                since = current.since() != null ? current.since() : today;
                enabled = wf.withText(enable(wf, jobName));
            }
            case LEGACY -> enabled = wf.withText(enable(wf, jobName));
            case ENABLED -> {}
        }
        String result = disableEnabled(enabled, jobName, reason, since, until);
        return result;
    }

    private static String disableEnabled(
            WorkflowFile wf, String jobName, String reason, LocalDate since, LocalDate until) {
        Job test = wf.layout().job(jobName);
        if (!test.blockBody()) {
            throw unknown(
                    wf,
                    test.keyLine(),
                    "job '"
                            + jobName
                            + "' is not a block mapping with its keys on their own lines");
        }
        List<Line> lines = new ArrayList<>(wf.lines());
        // edits are collected per line and applied bottom-up so earlier indexes stay valid
        Map<Integer, Line> replaced = new LinkedHashMap<>();
        Integer insertAfter = null;
        Line inserted = null;

        if (test.ifClause() != null) {
            if (!test.ifClause().singleLine()) {
                throw unknown(
                        wf,
                        test.ifClause().keyLine(),
                        "job '" + jobName + "' has a multi-line 'if:'");
            }
            Line old = lines.get(test.ifClause().keyLine());
            String marker =
                    new ToggleMarker(
                                    ToggleMarker.DISABLED_SUMMARY, reason, since, until, old.body())
                            .render();
            replaced.put(
                    test.ifClause().keyLine(),
                    old.withContent(old.indent() + "if: " + FALSE_CONDITION + "  " + marker));
        } else {
            String marker =
                    new ToggleMarker(ToggleMarker.DISABLED_SUMMARY, reason, since, until, null)
                            .render();
            Line key = lines.get(test.keyLine());
            String terminator =
                    key.terminator().isEmpty()
                            ? WorkflowText.dominantTerminator(lines)
                            : key.terminator();
            insertAfter = test.keyLine();
            inserted =
                    new Line(
                            " ".repeat(test.bodyIndent())
                                    + "if: "
                                    + FALSE_CONDITION
                                    + "  "
                                    + marker,
                            terminator);
        }

        List<String> dependents = new ArrayList<>();
        for (Job job : wf.layout().jobs().values()) {
            if (job.name().equals(jobName) || job.needs() == null || !job.needs().contains(jobName))
                continue;
            dependents.add(job.name());
            refuseIfOutputsUsed(wf, job, jobName);
            dropNeed(wf, job, jobName, reason, replaced);
        }

        for (Map.Entry<Integer, Line> e : replaced.entrySet()) lines.set(e.getKey(), e.getValue());
        if (insertAfter != null) lines.add(insertAfter + 1, inserted);
        String result = WorkflowText.join(lines);
        verifyDisabled(wf, result, jobName, dependents);
        return result;
    }

    private static void dropNeed(
            WorkflowFile wf, Job job, String jobName, String reason, Map<Integer, Line> replaced) {
        Needs needs = job.needs();
        List<Line> lines = wf.lines();
        String summary = String.format(ToggleMarker.DEPENDENT_SUMMARY, jobName);
        List<NeedsItem> others =
                needs.items().stream().filter(i -> !i.value().equals(jobName)).toList();
        switch (needs.kind()) {
            case SCALAR, FLOW -> {
                if (needs.valueStartLine() != needs.keyLine()
                        || needs.valueEndLine() != needs.keyLine()) {
                    throw unknown(
                            wf,
                            needs.keyLine(),
                            "'needs' of job '"
                                    + job.name()
                                    + "' spans several lines; write it as [a, b] on one line or as a block list");
                }
                Line old = lines.get(needs.keyLine());
                String marker = new ToggleMarker(summary, reason, null, null, old.body()).render();
                if (others.isEmpty()) {
                    replaced.put(needs.keyLine(), old.withContent(old.indent() + marker));
                } else {
                    List<String> sources = new ArrayList<>();
                    for (NeedsItem item : others) sources.add(sourceOf(wf, item));
                    String prefix = slice(old.content(), 0, needs.valueStartColumn());
                    replaced.put(
                            needs.keyLine(),
                            old.withContent(
                                    prefix + "[" + String.join(", ", sources) + "]  " + marker));
                }
            }
            case BLOCK -> {
                for (NeedsItem item : needs.items()) {
                    if (!item.value().equals(jobName)) continue;
                    Line old = lines.get(item.line());
                    if (!old.body().startsWith("-") || item.endColumn() < 0) {
                        throw unknown(
                                wf,
                                item.line(),
                                "the '"
                                        + jobName
                                        + "' entry of 'needs' is not a plain '- "
                                        + jobName
                                        + "' line");
                    }
                    replaced.put(
                            item.line(),
                            old.withContent(
                                    old.indent()
                                            + new ToggleMarker(
                                                            summary, reason, null, null, old.body())
                                                    .render()));
                }
                if (others.isEmpty()) {
                    Line key = lines.get(needs.keyLine());
                    replaced.put(
                            needs.keyLine(),
                            key.withContent(
                                    key.indent()
                                            + new ToggleMarker(
                                                            summary, reason, null, null, key.body())
                                                    .render()));
                }
            }
        }
    }

    /** A dependent reading the test job's outputs or result would break without it: say so. */
    private static void refuseIfOutputsUsed(WorkflowFile wf, Job job, String jobName) {
        Pattern use = Pattern.compile("\\bneeds\\s*\\.\\s*" + Pattern.quote(jobName) + "\\b");
        for (int l = job.keyLine(); l <= job.lastLine() && l < wf.lines().size(); l++) {
            Line line = wf.lines().get(l);
            if (!line.isComment() && use.matcher(line.content()).find()) {
                throw unknown(
                        wf,
                        l,
                        "job '"
                                + job.name()
                                + "' uses needs."
                                + jobName
                                + "; it cannot run without '"
                                + jobName
                                + "', so its tests cannot be switched off by dropping the dependency");
            }
        }
    }

    private static void verifyDisabled(
            WorkflowFile before, String result, String jobName, List<String> dependents) {
        WorkflowFile after = before.withText(result);
        Map<String, Object> expected = deepCopy(before.yaml().values());
        Map<String, Object> jobs = map(expected.get("jobs"));
        map(jobs.get(jobName)).put("if", FALSE_CONDITION);
        for (String d : dependents) {
            Map<String, Object> job = map(jobs.get(d));
            Object needs = job.get("needs");
            if (needs instanceof List<?> list) {
                List<Object> kept = new ArrayList<>(list);
                kept.removeIf(jobName::equals);
                if (kept.isEmpty()) job.remove("needs");
                else job.put("needs", kept);
            } else {
                job.remove("needs");
            }
        }
        if (!expected.equals(after.yaml().values())) {
            throw new IllegalStateException(
                    before.displayName()
                            + ": the disable edit changed more than intended; nothing was written");
        }
    }

    // ---------------------------------------------------------------- enable

    /** The text of the workflow with the test job enabled; the same text if it already is. */
    public static String enable(WorkflowFile wf, String jobName) {
        TestJobStatus current = status(wf, jobName);
        return switch (current.state()) {
            case ABSENT -> throw noJob(wf, jobName);
            case ENABLED -> {
                int stray = firstMarkerLine(wf);
                if (stray >= 0) {
                    throw unknown(
                            wf,
                            stray,
                            "a toggle-tests marker remains although job '"
                                    + jobName
                                    + "' is enabled; remove it by hand");
                }
                yield wf.text();
            }
            case DISABLED -> enableOwnForm(wf, jobName);
            case LEGACY -> enableLegacyForm(wf, jobName, current.line());
        };
    }

    private static String enableOwnForm(WorkflowFile wf, String jobName) {
        List<Line> lines = new ArrayList<>();
        for (int l = 0; l < wf.lines().size(); l++) {
            Line line = wf.lines().get(l);
            if (!ToggleMarker.isOn(line.content())) {
                lines.add(line);
                continue;
            }
            ToggleMarker m = marker(wf, l);
            if (m.was() != null) {
                lines.add(line.withContent(line.indent() + m.was()));
            } else if (!(line.body().startsWith("if:")
                    && m.summary().equals(ToggleMarker.DISABLED_SUMMARY))) {
                throw unknown(wf, l, "toggle-tests marker without the original text ('was=')");
            }
            // else: the inserted 'if:' line, dropped
        }
        String result = WorkflowText.join(lines);
        WorkflowFile after = wf.withText(result);
        if (status(after, jobName).state() != State.ENABLED || firstMarkerLine(after) >= 0) {
            throw new IllegalStateException(
                    wf.displayName() + ": enable left the job disabled; nothing was written");
        }
        return result;
    }

    private static String enableLegacyForm(WorkflowFile wf, String jobName, int legacyLine) {
        int indent = wf.layout().jobsIndent();
        String pad = " ".repeat(indent);
        List<Line> lines = new ArrayList<>(wf.lines());
        Pattern body = Pattern.compile("^" + pad + "# ( +\\S.*)$");
        int last = legacyLine;
        while (last + 1 < lines.size() && body.matcher(lines.get(last + 1).content()).matches())
            last++;
        if (last == legacyLine) {
            throw unknown(
                    wf,
                    legacyLine,
                    "'# " + jobName + ":' is not followed by the commented-out job body");
        }
        lines.set(legacyLine, lines.get(legacyLine).withContent(pad + jobName + ":"));
        for (int l = legacyLine + 1; l <= last; l++) {
            Matcher m = body.matcher(lines.get(l).content());
            if (!m.matches()) throw new IllegalStateException("legacy body line changed under us");
            lines.set(l, lines.get(l).withContent(pad + m.group(1)));
        }

        List<String> dependents = new ArrayList<>();
        // bottom-up, so a line inserted for one job does not shift the lines of the jobs above it
        List<Job> bottomUp = new ArrayList<>(wf.layout().jobs().values());
        java.util.Collections.reverse(bottomUp);
        for (Job job : bottomUp) {
            Needs needs = job.needs();
            if (needs == null) continue;
            Line keyLine = lines.get(needs.keyLine());
            Matcher todo = LEGACY_NEEDS_TODO.matcher(keyLine.content());
            if (!todo.find() || !todo.group().contains(jobName)) continue;
            dependents.add(job.name());
            String withoutTodo = keyLine.content().substring(0, todo.start());
            switch (needs.kind()) {
                case SCALAR, FLOW -> {
                    if (needs.valueStartLine() != needs.keyLine()
                            || needs.valueEndLine() != needs.keyLine()) {
                        throw unknown(
                                wf,
                                needs.keyLine(),
                                "legacy 'needs' of job '" + job.name() + "' spans several lines");
                    }
                    List<String> sources = new ArrayList<>();
                    sources.add(jobName);
                    for (NeedsItem item : needs.items())
                        if (!item.value().equals(jobName)) sources.add(sourceOf(wf, item));
                    String prefix = slice(keyLine.content(), 0, needs.valueStartColumn());
                    lines.set(
                            needs.keyLine(),
                            keyLine.withContent(prefix + "[" + String.join(", ", sources) + "]"));
                }
                case BLOCK -> {
                    if (needs.keyLine() < legacyLine) {
                        throw unknown(
                                wf,
                                needs.keyLine(),
                                "legacy dependent above the commented-out job; restore it by hand");
                    }
                    lines.set(needs.keyLine(), keyLine.withContent(withoutTodo.stripTrailing()));
                    Line firstItem = wf.lines().get(needs.items().get(0).line());
                    lines.add(
                            needs.keyLine() + 1,
                            new Line(firstItem.indent() + "- " + jobName, firstItem.terminator()));
                }
            }
        }
        // the original team's TODO line above "# test:" goes last (it shifts the lines below it)
        if (legacyLine > 0 && isLegacyTodo(lines.get(legacyLine - 1), indent))
            lines.remove(legacyLine - 1);

        String result = WorkflowText.join(lines);
        WorkflowFile after = wf.withText(result);
        Object job = map(after.yaml().values().get("jobs")).get(jobName);
        if (!(job instanceof Map<?, ?> restored)
                || !(restored.containsKey("uses") || restored.containsKey("runs-on"))) {
            throw unknown(
                    wf,
                    legacyLine,
                    "the uncommented '" + jobName + "' is not a job (no 'uses:' or 'runs-on:')");
        }
        for (String d : dependents) {
            if (!after.layout().job(d).needs().contains(jobName)) {
                throw new IllegalStateException(
                        wf.displayName()
                                + ": could not restore the '"
                                + jobName
                                + "' dependency of "
                                + d);
            }
        }
        if (status(after, jobName).state() != State.ENABLED) {
            throw new IllegalStateException(
                    wf.displayName() + ": legacy job still disabled after enable");
        }
        return result;
    }

    // ---------------------------------------------------------------- helpers

    static int legacyJobLine(WorkflowFile wf, String jobName) {
        Pattern p =
                Pattern.compile(
                        "^"
                                + " ".repeat(wf.layout().jobsIndent())
                                + "#\\s?"
                                + Pattern.quote(jobName)
                                + ":\\s*$");
        for (int l = wf.layout().jobsKeyLine() + 1; l < wf.lines().size(); l++) {
            if (p.matcher(wf.lines().get(l).content()).matches()) return l;
        }
        return -1;
    }

    private static boolean isLegacyTodo(Line line, int indent) {
        return line.indent().length() == indent && line.body().matches("#\\s*TODO\\b.*");
    }

    private static int firstMarkerLine(WorkflowFile wf) {
        for (int l = 0; l < wf.lines().size(); l++)
            if (ToggleMarker.isOn(wf.lines().get(l).content())) return l;
        return -1;
    }

    private static ToggleMarker marker(WorkflowFile wf, int line) {
        try {
            return ToggleMarker.parse(wf.lines().get(line).content());
        } catch (IllegalArgumentException e) {
            throw PipelineException.usage(
                    wf.where(line)
                            + ": damaged toggle-tests marker: "
                            + e.getMessage()
                            + "; restore the line from version control");
        }
    }

    private static String sourceOf(WorkflowFile wf, NeedsItem item) {
        if (item.endColumn() < 0) return item.value();
        return slice(wf.lines().get(item.line()).content(), item.startColumn(), item.endColumn());
    }

    /** Substring by code-point columns, as snakeyaml-engine's marks count them. */
    private static String slice(String s, int fromColumn, int toColumn) {
        int from = s.offsetByCodePoints(0, Math.min(fromColumn, s.codePointCount(0, s.length())));
        int to = s.offsetByCodePoints(0, Math.min(toColumn, s.codePointCount(0, s.length())));
        return s.substring(from, to);
    }

    private static PipelineException noJob(WorkflowFile wf, String jobName) {
        return PipelineException.notFound(
                wf.displayName()
                        + ": no job '"
                        + jobName
                        + "' (enabled, disabled or commented out); name the test job with --job");
    }

    private static PipelineException unknown(WorkflowFile wf, int line, String what) {
        return PipelineException.usage(
                wf.where(line) + ": unsupported layout: " + what + "; nothing was written");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return value;
    }
}
