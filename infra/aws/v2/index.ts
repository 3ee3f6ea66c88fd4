/**
 * The v2 API's Lambdas. Today: the rust scorer, deployed from a zip archive (`rustScorerZipArchive`) rather
 * than the Docker image the first version used, because only zip functions can carry Lambda layers.
 *
 * Shared resources that other stacks own (the HTTPS listener, the VPC's private subnets, the Lambda security
 * group, the alert topic, the Python scorer's target group) come from stack config, never from code.
 */
import * as pulumi from "@pulumi/pulumi";
import { createRustScorer, parseRustRoutingPercent, RustScorer } from "./rust-scorer";

export type V2Inputs = {
  rustScorerZipArchive: pulumi.asset.Archive;
  /** base64(SHA-256) of the zip, or undefined for the stub. */
  rustScorerCodeSha256?: string;
  rustScorerIsStub?: boolean;
};

export type V2Stack = { rustScorer: RustScorer };

function requireStringList(config: pulumi.Config, key: string): string[] {
  const value = config.requireObject<unknown>(key);
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string" && v !== "")) {
    throw new Error(
      `config ${config.name}:${key} must be a non-empty list of strings (fix: pulumi config set --path '${key}[0]' subnet-...)`,
    );
  }
  return value as string[];
}

export function createV2(inputs: V2Inputs): V2Stack {
  const config = new pulumi.Config();
  const region = new pulumi.Config("aws").require("region");
  const rustScorer = createRustScorer({
    environment: pulumi.getStack(),
    region,
    code: inputs.rustScorerZipArchive,
    sourceCodeHash: inputs.rustScorerCodeSha256,
    isStub: inputs.rustScorerIsStub,
    albListenerArn: config.require("albListenerArn"),
    vpcPrivateSubnetIds: requireStringList(config, "vpcPrivateSubnetIds"),
    lambdaSecurityGroupId: config.require("lambdaSecurityGroupId"),
    alertTopicArn: config.get("alertTopicArn"),
    pythonScorerTargetGroupArn: config.get("pythonScorerTargetGroupArn"),
    rustRoutingPercent: parseRustRoutingPercent(config.get("rustRoutingPercent")),
    otelLayerVersion: config.getNumber("otelCollectorLayerVersion"),
  });
  return { rustScorer };
}
