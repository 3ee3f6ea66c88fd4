/**
 * The rust scorer: a Zip Lambda (`provided.al2023`, `bootstrap`, arm64) with the AWS OTEL collector layer,
 * reached through the shared ALB by header (`X-Use-Rust-Scorer: true`) and, when the stack sets
 * `rustRoutingPercent`, by a weighted split with the Python scorer's target group.
 *
 * Why a zip and not an image: Lambda layers only work with zip deployments, and the collector layer is how
 * the scorer's spans reach X-Ray.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { albRouteConditions, buildHttpLambdaFn, HttpLambdaFn } from "../../lib/scorer/new_service";

export const RUST_SCORER_NAME = "passport-v2-rust-scorer";
export const RUST_SCORER_MEMORY_MB = 256;
export const RUST_SCORER_TIMEOUT_S = 30;
/** Header-based rule: ahead of the Python scorer's rules. */
export const RUST_SCORER_HEADER_RULE_PRIORITY = 99;
/** Weighted Python/Rust split for everyone else. */
export const RUST_SCORER_WEIGHTED_RULE_PRIORITY = 100;
/** Keeps one client on one implementation for an hour, so a user's scores don't flip between them. */
export const WEIGHTED_STICKINESS_SECONDS = 3600;

export const SCORER_HOST = "*.passport.xyz";
export const SCORER_PATH = "/v2/stamps/*/score/*";
export const RUST_SCORER_HEADER = { name: "X-Use-Rust-Scorer", values: ["true"] };

/**
 * ADOT collector layer (bundles collector v0.43.0). `ver-0-102-1:2` once stopped resolving even for admins;
 * 0-117-0:1 is the version the scorer was proven with. The layer lives in each region under AWS's account.
 */
export function otelCollectorLayerArn(region: string, layerVersion = 1): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new Error(`not an AWS region: "${region}" (set it with: pulumi config set aws:region us-west-2)`);
  }
  return `arn:aws:lambda:${region}:901920570463:layer:aws-otel-collector-arm64-ver-0-117-0:${layerVersion}`;
}

/**
 * `rustRoutingPercent` from stack config: undefined when unset, else an integer 0..100.
 * Accepts a number or its string form (Pulumi config values are strings).
 */
export function parseRustRoutingPercent(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const value = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < 0 || value > 100) {
    throw new Error(
      `rustRoutingPercent must be a whole number from 0 to 100, got ${JSON.stringify(raw)} (fix: pulumi config set rustRoutingPercent 5)`,
    );
  }
  return value;
}

/** ALB weights for a Rust share of `percent` %: (Python, Rust). Weights may be 0 (ALB allows 0..999). */
export function weightsFor(percent: number): { python: number; rust: number } {
  return { python: 100 - percent, rust: percent };
}

export type RustScorerArgs = {
  /** Stack name (review, staging, production): the ENVIRONMENT variable. */
  environment: string;
  region: string;
  code: pulumi.asset.Archive;
  /** base64(SHA-256) of the zip; undefined for the stub archive. */
  sourceCodeHash?: string;
  /** A stub archive is deployed: say so in the function's description. */
  isStub?: boolean;
  albListenerArn: pulumi.Input<string>;
  vpcPrivateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  lambdaSecurityGroupId: pulumi.Input<string>;
  alertTopicArn?: pulumi.Input<string>;
  /** Needed only for the weighted rule. */
  pythonScorerTargetGroupArn?: pulumi.Input<string>;
  /** undefined or 0: no weighted rule (only header-routed requests reach Rust). */
  rustRoutingPercent?: number;
  /** App environment on top of the OTEL variables. */
  appEnvironment?: Record<string, pulumi.Input<string>>;
  otelLayerVersion?: number;
};

export type RustScorer = HttpLambdaFn & {
  role: aws.iam.Role;
  layerArn: string;
  weightedRule?: aws.lb.ListenerRule;
};

export const DEFAULT_APP_ENVIRONMENT: Record<string, string> = {
  DEBUG: "off",
  LOGGING_STRATEGY: "structlog_json",
};

export function rustScorerEnvironment(
  environment: string,
  appEnvironment: Record<string, pulumi.Input<string>> = DEFAULT_APP_ENVIRONMENT,
): { name: string; value: pulumi.Input<string> }[] {
  const otel: Record<string, string> = {
    OTEL_ENABLED: "true",
    OTEL_SERVICE_NAME: "rust-scorer",
    // collector.yaml ships at the zip root (next to bootstrap), i.e. /var/task; the layer's default config
    // under /opt would not have our exporters.
    OPENTELEMETRY_COLLECTOR_CONFIG_URI: "/var/task/collector.yaml",
    ENVIRONMENT: environment,
    // No AWS_LAMBDA_EXEC_WRAPPER: /opt/otel-instrument belongs to the language auto-instrumentation layers.
    // This layer is collector-only (an extension that starts by itself); the binary exports OTLP itself.
  };
  return Object.entries({ ...appEnvironment, ...otel }).map(([name, value]) => ({ name, value }));
}

export function createRustScorer(args: RustScorerArgs): RustScorer {
  const percent = args.rustRoutingPercent === undefined ? undefined : parseRustRoutingPercent(args.rustRoutingPercent);
  if (percent !== undefined && percent > 0 && !args.pythonScorerTargetGroupArn) {
    throw new Error(
      `rustRoutingPercent is ${percent} but pythonScorerTargetGroupArn is not set: the weighted rule needs both target groups (fix: pulumi config set pythonScorerTargetGroupArn <arn>)`,
    );
  }
  const layerArn = otelCollectorLayerArn(args.region, args.otelLayerVersion);

  const role = new aws.iam.Role(`${RUST_SCORER_NAME}-role`, {
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
  });
  const basicExecution = new aws.iam.RolePolicyAttachment(`${RUST_SCORER_NAME}-basic-execution`, {
    role: role.name,
    policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
  });
  // The function runs in the VPC's private subnets, so it must manage its ENIs.
  const vpcAccess = new aws.iam.RolePolicyAttachment(`${RUST_SCORER_NAME}-vpc-access`, {
    role: role.name,
    policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
  });
  // The collector's awsxray exporter sends the scorer's spans with the function's role.
  const xray = new aws.iam.RolePolicy(`${RUST_SCORER_NAME}-xray`, {
    role: role.name,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" }],
    }),
  });

  const scorerRoute = { host: [SCORER_HOST], path: [SCORER_PATH], method: ["GET"] };
  const lambda = buildHttpLambdaFn({
    name: RUST_SCORER_NAME,
    packageType: "Zip",
    code: args.code,
    handler: "bootstrap",
    runtime: aws.lambda.Runtime.CustomAL2023,
    architectures: ["arm64"],
    layers: [layerArn],
    sourceCodeHash: args.sourceCodeHash,
    description: args.isStub
      ? "rust scorer STUB (ALLOW_MISSING_RUST_SCORER): bootstrap exits 1, not the real scorer"
      : "rust scorer (zip, provided.al2023, arm64, ADOT collector layer)",
    memorySize: RUST_SCORER_MEMORY_MB,
    timeout: RUST_SCORER_TIMEOUT_S,
    // Lambda samples and starts the trace; the collector's awsxray exporter adds the scorer's spans to it.
    tracingMode: "Active",
    environment: rustScorerEnvironment(args.environment, args.appEnvironment),
    role,
    roleAttachments: [basicExecution, vpcAccess, xray],
    privateSubnetSecurityGroup: args.lambdaSecurityGroupId,
    vpcPrivateSubnetIds: args.vpcPrivateSubnetIds,
    alertTopic: args.alertTopicArn,
    alb: {
      listenerArn: args.albListenerArn,
      priority: RUST_SCORER_HEADER_RULE_PRIORITY,
      conditions: albRouteConditions({ ...scorerRoute, header: RUST_SCORER_HEADER }),
    },
  });

  let weightedRule: aws.lb.ListenerRule | undefined;
  if (percent !== undefined && percent > 0) {
    const weights = weightsFor(percent);
    weightedRule = new aws.lb.ListenerRule(
      `${RUST_SCORER_NAME}-weighted-rule`,
      {
        listenerArn: args.albListenerArn,
        priority: RUST_SCORER_WEIGHTED_RULE_PRIORITY,
        actions: [
          {
            type: "forward",
            forward: {
              targetGroups: [
                { arn: args.pythonScorerTargetGroupArn!, weight: weights.python },
                { arn: lambda.targetGroup.arn, weight: weights.rust },
              ],
              stickiness: { enabled: true, duration: WEIGHTED_STICKINESS_SECONDS },
            },
          },
        ],
        conditions: albRouteConditions(scorerRoute),
      },
      { dependsOn: [lambda.attachment] },
    );
  }

  return { ...lambda, role, layerArn, weightedRule };
}
