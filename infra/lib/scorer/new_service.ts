/**
 * `buildHttpLambdaFn`: one HTTP Lambda behind the shared ALB.
 *
 * Builds the function (published), the `live` alias, the ALB Lambda target group `l-<name>`, the invoke
 * permission for elasticloadbalancing.amazonaws.com, the target-group attachment (to the alias), the forwarding
 * listener rule and the 4XX/5XX/latency alarms.
 *
 * The package type is a discriminated union so a mixed shape does not compile: the old Image config passed
 * `layers`, which the Image type silently dropped, and the OTEL layer never reached the function. Layers are
 * only meaningful for Zip functions (Lambda rejects them for images), so `layers` is `never` on the Image side
 * and `imageUri`/`dockerCmd` are `never` on the Zip side. The same rules are checked again at run time for
 * callers that bypass the compiler (plain JS, `any`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** The alias the ALB invokes. `jbang rollout@.` moves its version and weights with the AWS SDK. */
export const LIVE_ALIAS_NAME = "live";

/** ALB target group names are limited to 32 characters by the ELBv2 API. */
const MAX_TARGET_GROUP_NAME_LENGTH = 32;

export type EnvironmentVariable = { name: string; value: pulumi.Input<string> };

/** Conditions of a listener rule; all of them must match. Build them with {@link albRouteConditions}. */
export type AlbRouteMatch = {
  host?: string[];
  path?: string[];
  method?: string[];
  header?: { name: string; values: string[] };
};

export type AlbRouting = {
  /** The shared HTTPS listener. */
  listenerArn: pulumi.Input<string>;
  /** Listener rule priority (lower wins); must be unique on the listener. */
  priority: number;
  conditions: pulumi.Input<aws.types.input.lb.ListenerRuleCondition>[];
};

export type AlarmThresholds = {
  /** HTTPCode_Target_4XX_Count summed over 5 minutes. */
  http4xxCount: number;
  /** HTTPCode_Target_5XX_Count summed over 5 minutes. */
  http5xxCount: number;
  /** p95 of TargetResponseTime in seconds over 5 minutes. */
  latencyP95Seconds: number;
};

export const DEFAULT_ALARM_THRESHOLDS: AlarmThresholds = {
  http4xxCount: 400,
  http5xxCount: 10,
  latencyP95Seconds: 3,
};

type CommonLambdaArgs = {
  name: string;
  /** Security group id for the function's ENIs in the private subnets. */
  privateSubnetSecurityGroup: pulumi.Input<string>;
  vpcPrivateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  environment: EnvironmentVariable[];
  role: aws.iam.Role;
  /** Policies the function needs at start; the function waits for them. */
  roleAttachments: pulumi.Resource[];
  memorySize: number;
  /** Seconds; `buildLambdaFn`'s historical default is 60. */
  timeout?: number;
  /** SNS topic ARN that receives the alarms. */
  alertTopic?: pulumi.Input<string>;
  alarmThresholds?: Partial<AlarmThresholds>;
  tracingMode?: "Active" | "PassThrough";
  description?: pulumi.Input<string>;
  alb: AlbRouting;
};

type ImagePackage = {
  packageType: "Image";
  imageUri: pulumi.Input<string>;
  dockerCmd: string[];
  architectures?: ("arm64" | "x86_64")[];
  layers?: never;
  code?: never;
  handler?: never;
  runtime?: never;
  sourceCodeHash?: never;
};

type ZipPackage = {
  packageType: "Zip";
  code: pulumi.asset.Archive;
  handler: string;
  runtime: pulumi.Input<string>;
  layers?: pulumi.Input<string>[];
  /** base64(SHA-256) of the zip, so a changed zip is an update and an unchanged one is not. */
  sourceCodeHash?: pulumi.Input<string>;
  /** Mandatory: a Zip function defaults to x86_64, and an arm64 binary/layer then fails with "exec format error". */
  architectures: ("arm64" | "x86_64")[];
  imageUri?: never;
  dockerCmd?: never;
};

export type BuildHttpLambdaFnArgs = CommonLambdaArgs & (ImagePackage | ZipPackage);

export type HttpLambdaFn = {
  fn: aws.lambda.Function;
  alias: aws.lambda.Alias;
  targetGroup: aws.lb.TargetGroup;
  permission: aws.lambda.Permission;
  attachment: aws.lb.TargetGroupAttachment;
  listenerRule: aws.lb.ListenerRule;
  alarms: { http4xx: aws.cloudwatch.MetricAlarm; http5xx: aws.cloudwatch.MetricAlarm; latency: aws.cloudwatch.MetricAlarm };
};

/** Listener-rule conditions from a compact description (host, path, method, one header). */
export function albRouteConditions(match: AlbRouteMatch): aws.types.input.lb.ListenerRuleCondition[] {
  const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
  if (match.host) conditions.push({ hostHeader: { values: match.host } });
  if (match.path) conditions.push({ pathPattern: { values: match.path } });
  if (match.method) conditions.push({ httpRequestMethod: { values: match.method } });
  if (match.header) conditions.push({ httpHeader: { httpHeaderName: match.header.name, values: match.header.values } });
  if (conditions.length === 0) {
    throw new Error("albRouteConditions: give at least one of host, path, method or header, else the rule matches everything");
  }
  return conditions;
}

/**
 * `app/<lb-name>/<lb-id>` from a listener ARN (`...:listener/app/<lb-name>/<lb-id>/<listener-id>`): the
 * LoadBalancer dimension of the ALB's CloudWatch metrics.
 */
export function loadBalancerArnSuffix(listenerArn: string): string {
  const match = /:listener\/(app\/[^/]+\/[^/]+)\/[^/]+$/.exec(listenerArn);
  if (!match) {
    throw new Error(
      `not an ALB listener ARN: "${listenerArn}" (expected arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<lb-name>/<lb-id>/<listener-id>)`,
    );
  }
  return match[1];
}

export function targetGroupName(name: string): string {
  const tgName = `l-${name}`;
  if (tgName.length > MAX_TARGET_GROUP_NAME_LENGTH) {
    throw new Error(
      `target group name "${tgName}" is ${tgName.length} characters; ALB allows ${MAX_TARGET_GROUP_NAME_LENGTH}: shorten the function name "${name}"`,
    );
  }
  return tgName;
}

/** Run-time twin of the compile-time union, for callers that bypass the type checker. */
function assertPackageShape(args: BuildHttpLambdaFnArgs): void {
  const loose = args as unknown as Record<string, unknown>;
  if (args.packageType === "Image") {
    for (const zipOnly of ["layers", "code", "handler", "runtime", "sourceCodeHash"]) {
      if (loose[zipOnly] !== undefined) {
        throw new Error(`${args.name}: "${zipOnly}" is only valid for packageType "Zip" (Lambda ignores or rejects it for images)`);
      }
    }
  } else if (args.packageType === "Zip") {
    for (const imageOnly of ["imageUri", "dockerCmd"]) {
      if (loose[imageOnly] !== undefined) {
        throw new Error(`${args.name}: "${imageOnly}" is only valid for packageType "Image"`);
      }
    }
    if (!args.architectures || args.architectures.length === 0) {
      throw new Error(`${args.name}: a Zip function needs "architectures" (it defaults to x86_64 otherwise)`);
    }
  } else {
    throw new Error(`${(args as { name: string }).name}: packageType must be "Image" or "Zip", got ${JSON.stringify(loose.packageType)}`);
  }
}

function packageArgs(args: BuildHttpLambdaFnArgs): Partial<aws.lambda.FunctionArgs> {
  if (args.packageType === "Image") {
    return {
      packageType: "Image",
      imageUri: args.imageUri,
      imageConfig: { commands: args.dockerCmd },
      architectures: args.architectures,
    };
  }
  return {
    packageType: "Zip",
    code: args.code,
    handler: args.handler,
    runtime: args.runtime,
    layers: args.layers,
    sourceCodeHash: args.sourceCodeHash,
    architectures: args.architectures,
  };
}

export function buildHttpLambdaFn(args: BuildHttpLambdaFnArgs, opts?: pulumi.ComponentResourceOptions): HttpLambdaFn {
  assertPackageShape(args);
  const { name } = args;
  const tgName = targetGroupName(name);
  const thresholds: AlarmThresholds = { ...DEFAULT_ALARM_THRESHOLDS, ...args.alarmThresholds };
  const parentOpts: pulumi.CustomResourceOptions = { parent: opts?.parent, provider: opts?.provider };

  const fn = new aws.lambda.Function(
    name,
    {
      name,
      description: args.description,
      ...packageArgs(args),
      role: args.role.arn,
      memorySize: args.memorySize,
      timeout: args.timeout ?? 60,
      // Every code change gets a numbered version, so the alias (and a rollback) can point at an exact build.
      publish: true,
      environment: { variables: Object.fromEntries(args.environment.map((v) => [v.name, v.value])) },
      vpcConfig: { securityGroupIds: [args.privateSubnetSecurityGroup], subnetIds: args.vpcPrivateSubnetIds },
      tracingConfig: args.tracingMode ? { mode: args.tracingMode } : undefined,
    },
    { ...parentOpts, dependsOn: args.roleAttachments },
  );

  const alias = new aws.lambda.Alias(
    `${name}-${LIVE_ALIAS_NAME}`,
    {
      name: LIVE_ALIAS_NAME,
      functionName: fn.name,
      functionVersion: fn.version,
    },
    {
      ...parentOpts,
      // After creation the alias belongs to `jbang rollout@.`: it points the alias at a published version and
      // sets AdditionalVersionWeights with the AWS SDK (canary, promote, rollback). Without ignoreChanges the
      // next `pulumi up` would reset both to "latest published version, no weights" and undo a rollout.
      ignoreChanges: ["functionVersion", "routingConfig"],
    },
  );

  const targetGroup = new aws.lb.TargetGroup(
    tgName,
    { name: tgName, targetType: "lambda" },
    parentOpts,
  );

  const permission = new aws.lambda.Permission(
    `${name}-alb-invoke`,
    {
      action: "lambda:InvokeFunction",
      function: fn.name,
      qualifier: alias.name,
      principal: "elasticloadbalancing.amazonaws.com",
      sourceArn: targetGroup.arn,
    },
    parentOpts,
  );

  // ELB checks the invoke permission when the target is registered, so the attachment waits for it.
  const attachment = new aws.lb.TargetGroupAttachment(
    `${name}-alb-attachment`,
    { targetGroupArn: targetGroup.arn, targetId: alias.arn },
    { ...parentOpts, dependsOn: [permission] },
  );

  const listenerRule = new aws.lb.ListenerRule(
    `${name}-listener-rule`,
    {
      listenerArn: args.alb.listenerArn,
      priority: args.alb.priority,
      actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
      conditions: args.alb.conditions,
    },
    { ...parentOpts, dependsOn: [attachment] },
  );

  const dimensions = pulumi
    .all([pulumi.output(args.alb.listenerArn), targetGroup.arnSuffix])
    .apply(([listenerArn, tgSuffix]) => ({ LoadBalancer: loadBalancerArnSuffix(listenerArn), TargetGroup: tgSuffix }));
  const actions = args.alertTopic ? [args.alertTopic] : [];
  const alarm = (suffix: string, spec: Partial<aws.cloudwatch.MetricAlarmArgs>) =>
    new aws.cloudwatch.MetricAlarm(
      `${name}-${suffix}`,
      {
        name: `${name}-${suffix}`,
        namespace: "AWS/ApplicationELB",
        dimensions,
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        // No requests is not an outage of this function: the ALB publishes nothing then.
        treatMissingData: "notBreaching",
        alarmActions: actions,
        okActions: actions,
        ...spec,
      },
      parentOpts,
    );

  const alarms = {
    http4xx: alarm("4xx", {
      metricName: "HTTPCode_Target_4XX_Count",
      statistic: "Sum",
      threshold: thresholds.http4xxCount,
      alarmDescription: `${name}: ${thresholds.http4xxCount}+ 4XX responses in 5 minutes`,
    }),
    http5xx: alarm("5xx", {
      metricName: "HTTPCode_Target_5XX_Count",
      statistic: "Sum",
      threshold: thresholds.http5xxCount,
      alarmDescription: `${name}: ${thresholds.http5xxCount}+ 5XX responses in 5 minutes`,
    }),
    latency: alarm("latency", {
      metricName: "TargetResponseTime",
      extendedStatistic: "p95",
      threshold: thresholds.latencyP95Seconds,
      alarmDescription: `${name}: p95 response time at or above ${thresholds.latencyP95Seconds} s over 5 minutes`,
    }),
  };

  return { fn, alias, targetGroup, permission, attachment, listenerRule, alarms };
}
