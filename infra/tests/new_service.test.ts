/** buildHttpLambdaFn under Pulumi's mocks: every resource it creates and the settings the engine would get. */
import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as ns from "../lib/scorer/new_service";
import { installMocks, registered, valueOf, ResourceLog } from "./support/pulumi-mocks";

// Library modules create nothing when loaded, so static imports are fine; resources are built inside the
// tests, after the mocks are installed.
const log: ResourceLog = installMocks({ stack: "staging" });

const LISTENER = "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/passport-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";
const TOPIC = "arn:aws:sns:us-west-2:123456789012:alerts";

function role(name: string) {
  return new aws.iam.Role(name, { assumeRolePolicy: "{}" });
}

describe("buildHttpLambdaFn (Zip)", () => {
  let built: ns.HttpLambdaFn;
  const name = "svc-zip";

  before(async () => {
    const r = role("svc-zip-role");
    const attachment = new aws.iam.RolePolicyAttachment("svc-zip-basic", { role: r.name, policyArn: "arn:aws:iam::aws:policy/x" });
    built = ns.buildHttpLambdaFn({
      name,
      packageType: "Zip",
      code: new pulumi.asset.AssetArchive({ bootstrap: new pulumi.asset.StringAsset("#!/bin/sh\n") }),
      handler: "bootstrap",
      runtime: "provided.al2023",
      architectures: ["arm64"],
      layers: ["arn:aws:lambda:us-west-2:901920570463:layer:some-layer:1"],
      sourceCodeHash: "abc=",
      memorySize: 512,
      environment: [{ name: "A", value: "1" }, { name: "B", value: "two" }],
      role: r,
      roleAttachments: [attachment],
      privateSubnetSecurityGroup: "sg-1",
      vpcPrivateSubnetIds: ["subnet-1", "subnet-2"],
      alertTopic: TOPIC,
      alarmThresholds: { http5xxCount: 3 },
      alb: { listenerArn: LISTENER, priority: 42, conditions: ns.albRouteConditions({ path: ["/x/*"], method: ["POST"] }) },
    });
    await registered(
      built.fn, built.alias, built.targetGroup, built.permission, built.attachment, built.listenerRule,
      built.alarms.http4xx, built.alarms.http5xx, built.alarms.latency,
    );
  });

  it("creates a published Zip function with the package settings, VPC and environment", () => {
    const fn = log.one("aws:lambda/function:Function", name).inputs;
    assert.equal(fn.packageType, "Zip");
    assert.equal(fn.handler, "bootstrap");
    assert.equal(fn.runtime, "provided.al2023");
    assert.deepEqual(fn.architectures, ["arm64"]);
    assert.deepEqual(fn.layers, ["arn:aws:lambda:us-west-2:901920570463:layer:some-layer:1"]);
    assert.equal(fn.sourceCodeHash, "abc=");
    assert.equal(fn.publish, true);
    assert.equal(fn.memorySize, 512);
    assert.equal(fn.timeout, 60, "buildLambdaFn's default timeout");
    assert.equal(fn.imageUri, undefined);
    assert.deepEqual(fn.environment, { variables: { A: "1", B: "two" } });
    assert.deepEqual(fn.vpcConfig, { securityGroupIds: ["sg-1"], subnetIds: ["subnet-1", "subnet-2"] });
  });

  it("makes the function wait for the role's policies", () => {
    const fn = log.one("aws:lambda/function:Function", name);
    assert.ok(fn.dependencies.some((urn) => urn.endsWith("::svc-zip-basic")), `dependencies: ${fn.dependencies}`);
  });

  it("creates the live alias on the published version and leaves version/weights to the rollout command", async () => {
    const alias = log.one("aws:lambda/alias:Alias");
    assert.equal(alias.inputs.name, "live");
    assert.equal(alias.inputs.functionName, name);
    assert.equal(alias.inputs.functionVersion, "1", "the version the function published");
    assert.deepEqual([...alias.ignoreChanges].sort(), ["functionVersion", "routingConfig"]);
    assert.equal(await valueOf(built.alias.name), "live");
  });

  it("creates the lambda target group l-<name>", () => {
    const tg = log.one("aws:lb/targetGroup:TargetGroup");
    assert.equal(tg.name, "l-svc-zip");
    assert.equal(tg.inputs.name, "l-svc-zip");
    assert.equal(tg.inputs.targetType, "lambda");
  });

  it("lets the ALB invoke the alias, and attaches the alias (not $LATEST) after that permission exists", async () => {
    const permission = log.one("aws:lambda/permission:Permission").inputs;
    assert.equal(permission.principal, "elasticloadbalancing.amazonaws.com");
    assert.equal(permission.action, "lambda:InvokeFunction");
    assert.equal(permission.function, name);
    assert.equal(permission.qualifier, "live");
    assert.equal(permission.sourceArn, await valueOf(built.targetGroup.arn));

    const attachment = log.one("aws:lb/targetGroupAttachment:TargetGroupAttachment");
    assert.equal(attachment.inputs.targetGroupArn, await valueOf(built.targetGroup.arn));
    assert.equal(attachment.inputs.targetId, await valueOf(built.alias.arn));
    assert.match(attachment.inputs.targetId, /:function:svc-zip:live$/);
    assert.ok(attachment.dependencies.some((urn) => urn.endsWith("::svc-zip-alb-invoke")));
  });

  it("forwards matching requests to the target group at the given priority", async () => {
    const rule = log.one("aws:lb/listenerRule:ListenerRule").inputs;
    assert.equal(rule.listenerArn, LISTENER);
    assert.equal(rule.priority, 42);
    assert.deepEqual(rule.actions, [{ type: "forward", targetGroupArn: await valueOf(built.targetGroup.arn) }]);
    assert.deepEqual(rule.conditions, [{ pathPattern: { values: ["/x/*"] } }, { httpRequestMethod: { values: ["POST"] } }]);
  });

  it("creates 4XX, 5XX and latency alarms on the ALB metrics, sent to the alert topic", () => {
    const alarms = log.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs);
    assert.equal(alarms.length, 3);
    const byMetric = Object.fromEntries(alarms.map((a) => [a.metricName, a]));
    assert.deepEqual(Object.keys(byMetric).sort(), ["HTTPCode_Target_4XX_Count", "HTTPCode_Target_5XX_Count", "TargetResponseTime"]);
    assert.equal(byMetric.HTTPCode_Target_4XX_Count.threshold, ns.DEFAULT_ALARM_THRESHOLDS.http4xxCount);
    assert.equal(byMetric.HTTPCode_Target_5XX_Count.threshold, 3, "override applied");
    assert.equal(byMetric.TargetResponseTime.threshold, ns.DEFAULT_ALARM_THRESHOLDS.latencyP95Seconds);
    assert.equal(byMetric.TargetResponseTime.extendedStatistic, "p95");
    for (const alarm of alarms) {
      assert.equal(alarm.namespace, "AWS/ApplicationELB");
      assert.deepEqual(alarm.alarmActions, [TOPIC]);
      assert.equal(alarm.comparisonOperator, "GreaterThanOrEqualToThreshold");
      assert.deepEqual(alarm.dimensions, {
        LoadBalancer: "app/passport-alb/50dc6c495c0c9188",
        TargetGroup: "targetgroup/l-svc-zip/0123456789abcdef",
      });
    }
  });
});

describe("buildHttpLambdaFn (Image)", () => {
  it("creates an Image function with the command and no zip settings", async () => {
    const built = ns.buildHttpLambdaFn({
      name: "svc-image",
      packageType: "Image",
      imageUri: "123456789012.dkr.ecr.us-west-2.amazonaws.com/scorer:abc",
      dockerCmd: ["api.handler"],
      memorySize: 1024,
      timeout: 15,
      environment: [],
      role: role("svc-image-role"),
      roleAttachments: [],
      privateSubnetSecurityGroup: "sg-1",
      vpcPrivateSubnetIds: ["subnet-1"],
      alb: { listenerArn: LISTENER, priority: 43, conditions: ns.albRouteConditions({ host: ["a.example"] }) },
    });
    await registered(built.fn, ...Object.values(built.alarms));
    const fn = log.one("aws:lambda/function:Function", "svc-image").inputs;
    assert.equal(fn.packageType, "Image");
    assert.equal(fn.imageUri, "123456789012.dkr.ecr.us-west-2.amazonaws.com/scorer:abc");
    assert.deepEqual(fn.imageConfig, { commands: ["api.handler"] });
    assert.equal(fn.timeout, 15);
    for (const zipOnly of ["layers", "handler", "runtime", "code", "sourceCodeHash"]) assert.equal(fn[zipOnly], undefined, zipOnly);
    const alarms = log.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith("svc-image-"));
    assert.equal(alarms.length, 3);
    assert.deepEqual(alarms[0].inputs.alarmActions, [], "no topic, no actions");
  });
});

describe("buildHttpLambdaFn input checks (callers that bypass the type checker)", () => {
  const base = {
    memorySize: 128,
    environment: [],
    roleAttachments: [],
    privateSubnetSecurityGroup: "sg-1",
    vpcPrivateSubnetIds: ["subnet-1"],
    alb: { listenerArn: LISTENER, priority: 1, conditions: [] },
  };

  it("rejects layers on an Image function", () => {
    const args: any = { ...base, name: "bad-1", role: role("bad-1-role"), packageType: "Image", imageUri: "x", dockerCmd: [], layers: ["arn"] };
    assert.throws(() => ns.buildHttpLambdaFn(args), /bad-1: "layers" is only valid for packageType "Zip"/);
  });

  it("rejects imageUri on a Zip function", () => {
    const args: any = {
      ...base, name: "bad-2", role: role("bad-2-role"), packageType: "Zip", code: {}, handler: "h", runtime: "r",
      architectures: ["arm64"], imageUri: "x",
    };
    assert.throws(() => ns.buildHttpLambdaFn(args), /bad-2: "imageUri" is only valid for packageType "Image"/);
  });

  it("rejects a Zip function without architectures (it would default to x86_64)", () => {
    const args: any = { ...base, name: "bad-3", role: role("bad-3-role"), packageType: "Zip", code: {}, handler: "h", runtime: "r" };
    assert.throws(() => ns.buildHttpLambdaFn(args), /needs "architectures"/);
  });

  it("rejects an unknown package type", () => {
    const args: any = { ...base, name: "bad-4", role: role("bad-4-role"), packageType: "Docker" };
    assert.throws(() => ns.buildHttpLambdaFn(args), /packageType must be "Image" or "Zip", got "Docker"/);
  });

  it("rejects a name whose target group name would exceed 32 characters", () => {
    assert.throws(() => ns.targetGroupName("a-very-long-function-name-for-alb"), /"l-a-very-long-function-name-for-alb" is 35 characters; ALB allows 32/);
    assert.equal(ns.targetGroupName("passport-v2-rust-scorer"), "l-passport-v2-rust-scorer");
  });

  it("rejects a listener ARN it cannot derive the load balancer from", () => {
    assert.throws(() => ns.loadBalancerArnSuffix("arn:aws:sns:us-west-2:1:topic"), /not an ALB listener ARN/);
    assert.equal(ns.loadBalancerArnSuffix(LISTENER), "app/passport-alb/50dc6c495c0c9188");
  });

  it("refuses a rule with no conditions", () => {
    assert.throws(() => ns.albRouteConditions({}), /at least one of host, path, method or header/);
  });
});
