package scorerci.pulumi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import scorerci.core.Digests;
import scorerci.core.PipelineException;

/**
 * Pulumi's update plan (`pulumi preview --save-plan FILE`, applied with `pulumi up --plan FILE`):
 * the approved preview, frozen. Its SHA-256 travels from the preview job through the approval to
 * the deploy job, which applies the plan only if the file still has that digest; Pulumi then
 * refuses any step the plan did not allow (the program or the stack changed since).
 *
 * <p>The file is read once: its bytes are hashed and copied into a private file in the same step,
 * and pulumi is given the copy, so the plan cannot change between the check and its use.
 */
public final class SavedPlan {
    /** A plan is a few KB per resource; anything near this is not a plan of this stack. */
    static final long MAX_BYTES = 64L << 20;

    /**
     * Plans are experimental in Pulumi v3: without this variable `--save-plan` and `--plan` are
     * unknown flags.
     */
    public static final Map<String, String> EXPERIMENTAL = Map.of("PULUMI_EXPERIMENTAL", "true");

    /**
     * How Pulumi words a step the plan did not allow ("resource urn:... violates plan: properties
     * changed: ...", "... is not allowed by the plan", "... expected no changes") as recorded from
     * the real CLI v3.276.0 (test resources scorerci/pulumi/transcripts).
     */
    private static final Pattern VIOLATION =
            Pattern.compile(
                    "violates plan|not allowed by the plan|not in the plan|expected no changes|plan (?:for|of) .* (?:not found|missing)"
                            + "|unexpected (?:create|update|replace|delete)",
                    Pattern.CASE_INSENSITIVE);

    private SavedPlan() {}

    /** The lower-case hex SHA-256 of a saved plan. */
    public static String sha256(Path plan) {
        try {
            return Digests.hex(Digests.sha256(plan));
        } catch (IOException e) {
            throw PipelineException.notFound(
                    "cannot read the saved plan " + plan + ": " + e.getMessage());
        }
    }

    /**
     * The plan's bytes in a private copy under workDir, after checking they have the approved
     * digest; STALE_PLAN (nothing applied) if not.
     */
    public static Path verifiedCopy(Path plan, String approvedSha256, Path workDir) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(plan)) {
                throw PipelineException.notFound(
                        "the saved plan "
                                + plan
                                + " does not exist: download the plan artifact "
                                + "(pulumi-plan-<env>-<tag>) of the approved preview, or preview again with --save-plan");
            }
            if (Files.size(plan) > MAX_BYTES) {
                throw PipelineException.usage(
                        plan
                                + " is "
                                + Files.size(plan)
                                + " bytes, more than any saved plan of "
                                + "this stack (limit "
                                + MAX_BYTES
                                + "): pass the file `deploy --preview-only --save-plan` wrote");
            }
            bytes = Files.readAllBytes(plan);
        } catch (IOException e) {
            throw PipelineException.notFound(
                    "cannot read the saved plan " + plan + ": " + e.getMessage());
        }
        String actual = Digests.hex(Digests.sha256().digest(bytes));
        if (!actual.equals(approvedSha256)) {
            throw PipelineException.stalePlan(
                    "the saved plan "
                            + plan.getFileName()
                            + " has sha256 "
                            + actual
                            + ", not the approved "
                            + approvedSha256
                            + ": it is not the plan that was approved; nothing was "
                            + "applied. Preview again with --save-plan and approve the new digest");
        }
        try {
            Files.createDirectories(workDir);
            Path copy =
                    Files.createTempFile(
                            workDir,
                            "approved-plan",
                            ".json",
                            PosixFilePermissions.asFileAttribute(
                                    PosixFilePermissions.fromString("rw-------")));
            Files.write(copy, bytes);
            return copy;
        } catch (IOException e) {
            throw PipelineException.prerequisite(
                    "cannot copy the verified plan into " + workDir + ": " + e.getMessage());
        }
    }

    /** Moves the plan pulumi wrote to a temp file onto its destination in one rename. */
    public static void land(Path written, Path destination) {
        try {
            Path parent = destination.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.move(
                    written,
                    destination,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw PipelineException.prerequisite(
                    "cannot write the saved plan to " + destination + ": " + e.getMessage());
        }
    }

    /**
     * Where pulumi writes the plan before {@link #land} renames it: beside it, so the rename is
     * atomic.
     */
    public static Path tempBeside(Path destination) {
        Path absolute = destination.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            Path temp =
                    Files.createTempFile(
                            absolute.getParent(), "." + absolute.getFileName(), ".tmp");
            Files.delete(
                    temp); // pulumi creates it; an empty file left by a failed preview must not
            // look like a plan
            return temp;
        } catch (IOException e) {
            throw PipelineException.prerequisite(
                    "cannot write the saved plan into "
                            + absolute.getParent()
                            + ": "
                            + e.getMessage());
        }
    }

    /** Removes a temp plan that was not landed (a failed preview). */
    public static void discard(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // a stray temp file beside the plan is harmless; the destination was never touched
        }
    }

    /** Whether a Pulumi error says the update left the plan (the program or the stack changed). */
    public static boolean isViolation(String message) {
        return message != null && VIOLATION.matcher(message).find();
    }

    /**
     * What the plan will do, counted per operation from its resourcePlans (each resource's planned
     * steps; a replacement's steps count once as "replace"), for the confirmation and the summary.
     */
    public static ChangeSummary summary(Path plan) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try {
            JsonNode root = new ObjectMapper().readTree(plan.toFile());
            for (var entry : root.path("resourcePlans").properties()) {
                // Pulumi's own summaries leave out default providers (urn
                // ...::pulumi:providers:aws::default_7_48_0)
                if (ResourceChange.typeOf(entry.getKey()).startsWith("pulumi:providers:")
                        && ResourceChange.nameOf(entry.getKey()).startsWith("default")) continue;
                JsonNode resource = entry.getValue();
                String op = "same";
                for (JsonNode step : resource.path("steps")) {
                    String s = step.asText("");
                    if (s.contains("replace")) {
                        op = "replace";
                        break;
                    }
                    if (!s.equals("same")) op = s;
                }
                counts.merge(op, 1, Integer::sum);
            }
        } catch (IOException | RuntimeException e) {
            throw PipelineException.usage(
                    plan
                            + " is not a Pulumi update plan ("
                            + e.getMessage()
                            + "): pass the file "
                            + "`deploy --preview-only --save-plan` wrote");
        }
        return new ChangeSummary(counts);
    }
}
