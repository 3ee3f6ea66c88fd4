package scorerci.artifacts.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import scorerci.core.PipelineException;

/**
 * The Results service identifies a job by two backend ids that it puts into the runtime token's
 * "scp" claim as
 * "Actions.Results:&lt;workflow_run_backend_id&gt;:&lt;workflow_job_run_backend_id&gt;". The token
 * is only decoded, never verified: the service verifies it.
 */
public record BackendIds(String workflowRun, String workflowJobRun) {
    private static final String FAILURE =
            "Failed to get backend IDs: The provided JWT token is invalid and/or missing claims";

    public static BackendIds fromRuntimeToken(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) throw invalid("it is not a JWT");
        JsonNode claims;
        try {
            byte[] payload =
                    Base64.getUrlDecoder()
                            .decode(parts[1].replace('+', '-').replace('/', '_').replace("=", ""));
            claims = new ObjectMapper().readTree(new String(payload, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw invalid("its payload is not base64url JSON");
        }
        String scp = claims.path("scp").asText("");
        for (String scope : scp.split(" ")) {
            String[] fields = scope.split(":");
            if (!"Actions.Results".equals(fields[0])) continue;
            if (fields.length != 3 || fields[1].isBlank() || fields[2].isBlank()) {
                throw invalid(
                        "its Actions.Results scope does not have the form Actions.Results:<run>:<job>");
            }
            return new BackendIds(fields[1], fields[2]);
        }
        throw invalid("its scp claim has no Actions.Results scope");
    }

    private static PipelineException invalid(String why) {
        return PipelineException.prerequisite(
                FAILURE
                        + " (ACTIONS_RUNTIME_TOKEN: "
                        + why
                        + "); export the runner's own ACTIONS_RUNTIME_TOKEN, unmodified");
    }
}
