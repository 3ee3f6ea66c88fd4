package scorerci.commands;

import picocli.CommandLine.Parameters;
import scorerci.stack.DeployEnvironment;

/**
 * The required ENVIRONMENT of deploy, verify-deploy and rollout (picocli mixin). Which names exist
 * (review|staging|production) is known only to {@link DeployEnvironment}; ci, whose ENVIRONMENT is
 * optional, validates through the same enum.
 */
public class EnvironmentParameter {
    @Parameters(
            index = "0",
            paramLabel = "ENVIRONMENT",
            description = "review, staging or production.")
    String environment;

    /**
     * The environment; anything but review|staging|production is a USAGE error naming the three.
     */
    DeployEnvironment parse() {
        return DeployEnvironment.parse(environment);
    }
}
