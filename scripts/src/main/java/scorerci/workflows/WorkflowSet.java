package scorerci.workflows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import scorerci.core.Context;
import scorerci.core.PipelineException;
import scorerci.workflows.TestJobStatus.State;

/**
 * The workflows a toggle-tests run works on: the files named with --workflow, or every *.yml /
 * *.yaml in .github/workflows. All of them are read and parsed before anything is written, so one
 * malformed file stops the run with nothing changed.
 */
public final class WorkflowSet {
    public static final String DEFAULT_DIR = ".github/workflows";

    private WorkflowSet() {}

    /**
     * @param named files from --workflow (empty: all of .github/workflows)
     * @return the files that have the test job in any form; with explicit names every file must
     *     have it
     */
    public static List<WorkflowFile> load(Context context, List<String> named, String jobName) {
        List<WorkflowFile> result = new ArrayList<>();
        if (named != null && !named.isEmpty()) {
            for (String name : named) {
                WorkflowFile wf = WorkflowFile.read(context.resolve(name), name);
                if (TestToggler.status(wf, jobName).state() == State.ABSENT) {
                    throw PipelineException.notFound(
                            name
                                    + ": no job '"
                                    + jobName
                                    + "' (enabled, disabled or commented out); name the test job with --job");
                }
                result.add(wf);
            }
            return result;
        }
        Path dir = context.repoRoot().resolve(DEFAULT_DIR);
        if (!Files.isDirectory(dir)) {
            throw PipelineException.notFound(
                    DEFAULT_DIR
                            + ": no such directory under "
                            + context.repoRoot()
                            + "; run inside the repository or name files with --workflow");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files =
                    s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
                            .filter(Files::isRegularFile)
                            .sorted()
                            .toList();
        } catch (IOException e) {
            throw PipelineException.prerequisite(DEFAULT_DIR + ": cannot list: " + e.getMessage());
        }
        for (Path file : files) {
            WorkflowFile wf = WorkflowFile.read(file, DEFAULT_DIR + "/" + file.getFileName());
            if (TestToggler.status(wf, jobName).state() != State.ABSENT) result.add(wf);
        }
        if (result.isEmpty()) {
            throw PipelineException.notFound(
                    DEFAULT_DIR + ": no workflow has a job '" + jobName + "'");
        }
        return result;
    }
}
