package scorerci.workflows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import scorerci.core.PipelineException;

/**
 * One workflow file as read from disk: its exact text, its lines, the parsed YAML and the layout of
 * its jobs. Reading never changes anything; a file that is not UTF-8 or not valid YAML is a USAGE
 * error naming the file and line.
 */
public record WorkflowFile(
        Path path,
        String displayName,
        String text,
        List<WorkflowText.Line> lines,
        WorkflowYaml.Parsed yaml,
        JobsLayout layout) {

    public static WorkflowFile read(Path path, String displayName) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw PipelineException.notFound(displayName + ": no such workflow file");
        } catch (IOException e) {
            throw PipelineException.prerequisite(displayName + ": cannot read: " + e.getMessage());
        }
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString();
        } catch (CharacterCodingException e) {
            throw PipelineException.usage(
                    displayName + ":1: not UTF-8 text; save the workflow as UTF-8");
        }
        return of(path, displayName, text);
    }

    public static WorkflowFile of(Path path, String displayName, String text) {
        WorkflowYaml.Parsed yaml = WorkflowYaml.parse(displayName, text);
        List<WorkflowText.Line> lines = WorkflowText.split(text);
        return new WorkflowFile(
                path,
                displayName,
                text,
                lines,
                yaml,
                JobsLayout.of(displayName, yaml.root(), lines.size()));
    }

    /** The same file with new text (re-parsed, so a bad edit is caught before it is written). */
    public WorkflowFile withText(String newText) {
        return of(path, displayName, newText);
    }

    public String where(int zeroBasedLine) {
        return displayName + ":" + (zeroBasedLine + 1);
    }
}
