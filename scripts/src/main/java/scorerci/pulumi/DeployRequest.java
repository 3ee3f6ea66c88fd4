package scorerci.pulumi;

import java.nio.file.Path;
import java.util.Locale;
import scorerci.core.BuildTag;
import scorerci.core.PipelineException;
import scorerci.stack.DeployEnvironment;

/**
 * What one `deploy` run was asked to do, checked for well-formedness (USAGE errors) before anything
 * is looked up or run.
 *
 * @param environment review, staging or production
 * @param stack the Pulumi stack as --stack gave it; null until {@link #onBackend} picks the
 *     backend's default
 * @param region AWS region written to the stack's aws:region config
 * @param artifact absolute path of the bootstrap.zip to deploy
 * @param infraDir absolute path of infra/ (package.json; the Pulumi project is infra/aws)
 * @param tag the docker/commit tag of the artifact, or null
 * @param savePlan with --preview-only: where `pulumi preview --save-plan` writes the update plan,
 *     or null
 * @param plan the approved update plan `pulumi up --plan` must follow, or null
 * @param planSha256 the plan's SHA-256 (lower-case hex) as approved; required with plan
 */
public record DeployRequest(
        DeployEnvironment environment,
        String stack,
        String region,
        Path artifact,
        Path infraDir,
        String tag,
        boolean previewOnly,
        boolean yes,
        boolean skipVerify,
        Path savePlan,
        Path plan,
        String planSha256) {

    public DeployRequest {
        if (stack != null && stack.isBlank()) stack = null;
        if (stack != null && !stack.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+){0,2}")) {
            throw PipelineException.usage(
                    "--stack '"
                            + stack
                            + "' is not a stack name: write it like "
                            + environment.defaultStack()
                            + " (Pulumi Cloud) or organization/"
                            + DeployEnvironment.PROJECT
                            + "/"
                            + environment.id()
                            + " (self-managed backend)");
        }
        if (region == null || !region.matches("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d")) {
            throw PipelineException.usage(
                    "--region '" + region + "' is not an AWS region: write it like us-west-2");
        }
        BuildTag.check(tag);
        if (savePlan != null && !previewOnly) {
            throw PipelineException.usage(
                    "--save-plan needs --preview-only: the plan is saved by the preview job and "
                            + "applied later with --plan FILE --plan-sha256 HEX");
        }
        if (plan != null && previewOnly) {
            throw PipelineException.usage(
                    "--plan applies a saved plan and cannot be combined with --preview-only");
        }
        if (plan != null && planSha256 == null) {
            throw PipelineException.usage(
                    "--plan needs --plan-sha256 HEX: the digest the preview printed "
                            + "(plan-sha256: ...) and the approval showed");
        }
        if (plan == null && planSha256 != null) {
            throw PipelineException.usage(
                    "--plan-sha256 needs --plan FILE, the saved plan it is the digest of");
        }
        if (planSha256 != null) {
            planSha256 = planSha256.strip().toLowerCase(Locale.ROOT);
            if (!planSha256.matches("[0-9a-f]{64}")) {
                throw PipelineException.usage(
                        "--plan-sha256 '"
                                + planSha256
                                + "' is not a SHA-256: give the 64 hex "
                                + "digits the preview printed as plan-sha256");
            }
        }
    }

    /** The request without the plan options (tests and callers that do not use plans). */
    public DeployRequest(
            DeployEnvironment environment,
            String stack,
            String region,
            Path artifact,
            Path infraDir,
            String tag,
            boolean previewOnly,
            boolean yes,
            boolean skipVerify) {
        this(
                environment,
                stack,
                region,
                artifact,
                infraDir,
                tag,
                previewOnly,
                yes,
                skipVerify,
                null,
                null,
                null);
    }

    /**
     * The request with its stack named for the backend: --stack as given (a self-managed backend
     * refuses any org but "organization", so a fully qualified --stack naming another is a USAGE
     * error before anything runs), else the backend's default.
     */
    public DeployRequest onBackend(PulumiBackend backend) {
        String named = stack;
        if (named == null) {
            named = backend.defaultStack(environment);
        } else if (backend.selfManaged()
                && named.split("/").length == 3
                && !named.startsWith(PulumiBackend.SELF_MANAGED_ORGANIZATION + "/")) {
            throw PipelineException.usage(
                    "--stack '"
                            + named
                            + "' names organization '"
                            + named.split("/")[0]
                            + "', but the "
                            + backend.describe()
                            + " accepts only '"
                            + PulumiBackend.SELF_MANAGED_ORGANIZATION
                            + "': pass --stack "
                            + PulumiBackend.SELF_MANAGED_ORGANIZATION
                            + "/"
                            + named.substring(named.indexOf('/') + 1)
                            + ", or leave --stack out");
        }
        return new DeployRequest(
                environment,
                named,
                region,
                artifact,
                infraDir,
                tag,
                previewOnly,
                yes,
                skipVerify,
                savePlan,
                plan,
                planSha256);
    }

    /** The Pulumi project directory: infra/aws, where the original pipeline ran pulumi. */
    public Path projectDir() {
        return infraDir.resolve("aws");
    }

    /** The stack's short name (the last segment), which names its Pulumi.&lt;name&gt;.yaml. */
    public String stackShortName() {
        String named = stack == null ? environment.id() : stack;
        return named.substring(named.lastIndexOf('/') + 1);
    }
}
