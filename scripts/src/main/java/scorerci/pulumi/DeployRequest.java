package scorerci.pulumi;

import scorerci.core.BuildTag;
import scorerci.stack.DeployEnvironment;
import java.nio.file.Path;
import scorerci.core.PipelineException;

/**
 * What one `deploy` run was asked to do, checked for well-formedness (USAGE errors) before
 * anything is looked up or run.
 *
 * @param environment review, staging or production
 * @param stack       fully qualified Pulumi stack, passportxyz/passport-scorer/&lt;env&gt; by default
 * @param region      AWS region written to the stack's aws:region config
 * @param artifact    absolute path of the bootstrap.zip to deploy
 * @param infraDir    absolute path of infra/ (package.json; the Pulumi project is infra/aws)
 * @param tag         the docker/commit tag of the artifact, or null
 */
public record DeployRequest(DeployEnvironment environment, String stack, String region, Path artifact,
                            Path infraDir, String tag, boolean previewOnly, boolean yes, boolean skipVerify) {

    public DeployRequest {
        if (stack == null || stack.isBlank()) stack = environment.defaultStack();
        if (!stack.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+){0,2}")) {
            throw PipelineException.usage("--stack '" + stack + "' is not a stack name: write it like "
                    + environment.defaultStack());
        }
        if (region == null || !region.matches("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d")) {
            throw PipelineException.usage("--region '" + region + "' is not an AWS region: write it like us-west-2");
        }
        BuildTag.check(tag);
    }

    /** The Pulumi project directory: infra/aws, where the original pipeline ran pulumi. */
    public Path projectDir() {
        return infraDir.resolve("aws");
    }

    /** The stack's short name (the last segment), which names its Pulumi.&lt;name&gt;.yaml. */
    public String stackShortName() {
        return stack.substring(stack.lastIndexOf('/') + 1);
    }
}
