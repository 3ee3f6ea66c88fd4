/**
 * The whole program (`infra/aws/index.ts`) as `pulumi up` runs it, under Pulumi's mocks: stack config from
 * the staging stack file, a real bootstrap.zip in a temp dir, then the stack outputs and resources.
 */
import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { installMocks, ResourceLog, valueOf } from "./support/pulumi-mocks";
import { registeredAll } from "./support/program-outputs";
import { stackConfig } from "./support/stack-config";
import { writeBootstrapZip, ZipFixture } from "./support/zip-fixture";

type Program = typeof import("../aws/index");

describe("program: staging stack with a real zip and 25 % weighted routing", () => {
  let log: ResourceLog;
  let fixture: ZipFixture;
  let program: Program;

  before(async () => {
    fixture = await writeBootstrapZip();
    process.env.RUST_SCORER_ZIP = fixture.zipPath;
    delete process.env.ALLOW_MISSING_RUST_SCORER;
    log = installMocks({ stack: "staging", config: stackConfig("staging", { "passport-scorer:rustRoutingPercent": "25" }) });
    // Loaded only now, after the mocks: the program registers its resources while it loads.
    program = require("../aws/index");
    await registeredAll(program);
  });

  it("exports the function, alias, layer, target group and the zip's hash", async () => {
    assert.equal(await valueOf(program.rustScorerFunctionName), "passport-v2-rust-scorer");
    assert.equal(await valueOf(program.rustScorerFunctionArn), "arn:aws:lambda:us-west-2:123456789012:function:passport-v2-rust-scorer");
    assert.equal(await valueOf(program.rustScorerAliasName), "live");
    assert.equal(await valueOf(program.rustScorerAliasArn), "arn:aws:lambda:us-west-2:123456789012:function:passport-v2-rust-scorer:live");
    assert.equal(await valueOf(program.rustScorerPublishedVersion), "1");
    assert.equal(program.rustScorerLayerArn, "arn:aws:lambda:us-west-2:901920570463:layer:aws-otel-collector-arm64-ver-0-117-0:1");
    assert.match(await valueOf(program.rustScorerTargetGroupArn), /:targetgroup\/l-passport-v2-rust-scorer\//);
    assert.equal(program.rustScorerCodeSha256, fixture.base64Sha256);
    assert.match(await valueOf(program.rustScorerWeightedRuleArn), /weighted-rule/);
    assert.deepEqual(await valueOf(program.rustScorerAlarmNames), [
      "passport-v2-rust-scorer-4xx",
      "passport-v2-rust-scorer-5xx",
      "passport-v2-rust-scorer-latency",
    ]);
  });

  it("deploys the zip file itself, with its hash as sourceCodeHash", async () => {
    const fn = log.one("aws:lambda/function:Function").inputs;
    assert.equal(await fn.code.path, fixture.zipPath);
    assert.equal(fn.sourceCodeHash, fixture.base64Sha256);
    assert.equal(fn.packageType, "Zip");
    assert.deepEqual(fn.architectures, ["arm64"]);
    assert.equal(fn.environment.variables.ENVIRONMENT, "staging");
  });

  it("takes the shared resources from stack config", () => {
    const config = stackConfig("staging");
    const fn = log.one("aws:lambda/function:Function").inputs;
    assert.deepEqual(fn.vpcConfig.subnetIds, JSON.parse(config["passport-scorer:vpcPrivateSubnetIds"]));
    assert.deepEqual(fn.vpcConfig.securityGroupIds, [config["passport-scorer:lambdaSecurityGroupId"]]);
    for (const rule of log.ofType("aws:lb/listenerRule:ListenerRule")) {
      assert.equal(rule.inputs.listenerArn, config["passport-scorer:albListenerArn"]);
    }
    for (const alarm of log.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")) {
      assert.deepEqual(alarm.inputs.alarmActions, [config["passport-scorer:alertTopicArn"]]);
    }
  });

  it("splits 75/25 between the Python target group from config and the rust one", async () => {
    const rule = log.one("aws:lb/listenerRule:ListenerRule", "passport-v2-rust-scorer-weighted-rule").inputs;
    assert.equal(rule.priority, 100);
    assert.deepEqual(rule.actions[0].forward.targetGroups, [
      { arn: stackConfig("staging")["passport-scorer:pythonScorerTargetGroupArn"], weight: 75 },
      { arn: await valueOf(program.rustScorerTargetGroupArn), weight: 25 },
    ]);
    assert.deepEqual(rule.actions[0].forward.stickiness, { enabled: true, duration: 3600 });
  });

  it("registers the expected set of resources, each once", () => {
    const counts: Record<string, number> = {};
    for (const r of log.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    assert.deepEqual(counts, {
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 2,
      "aws:iam/rolePolicy:RolePolicy": 1,
      "aws:lambda/function:Function": 1,
      "aws:lambda/alias:Alias": 1,
      "aws:lb/targetGroup:TargetGroup": 1,
      "aws:lambda/permission:Permission": 1,
      "aws:lb/targetGroupAttachment:TargetGroupAttachment": 1,
      "aws:lb/listenerRule:ListenerRule": 2,
      "aws:cloudwatch/metricAlarm:MetricAlarm": 3,
    });
  });
});
