/** The rust scorer's resources under Pulumi's mocks, for several stack settings. */
import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as rs from "../aws/v2/rust-scorer";
import { installMocks, RecordedResource, registered, ResourceLog, valueOf } from "./support/pulumi-mocks";

const log: ResourceLog = installMocks({ stack: "staging" });

const LISTENER = "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/passport-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";
const PYTHON_TG = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/l-passport-v2-stamp-score/73e2d6bc24d8a067";

/** Builds one rust scorer and returns only the resources that build registered. */
async function build(overrides: Partial<rs.RustScorerArgs>): Promise<{ scorer: rs.RustScorer; resources: RecordedResource[] }> {
  const mark = log.resources.length;
  const scorer = rs.createRustScorer({
    environment: "staging",
    region: "us-west-2",
    code: new pulumi.asset.FileArchive("/nonexistent/under/mocks/bootstrap.zip"),
    sourceCodeHash: "c2hhMjU2LW9mLXRoZS16aXA=",
    albListenerArn: LISTENER,
    vpcPrivateSubnetIds: ["subnet-a", "subnet-b"],
    lambdaSecurityGroupId: "sg-lambda",
    alertTopicArn: "arn:aws:sns:us-west-2:123456789012:alerts",
    pythonScorerTargetGroupArn: PYTHON_TG,
    ...overrides,
  });
  const all: pulumi.Resource[] = [scorer.fn, scorer.alias, scorer.listenerRule, scorer.role, ...Object.values(scorer.alarms)];
  if (scorer.weightedRule) all.push(scorer.weightedRule);
  await registered(...all);
  return { scorer, resources: log.resources.slice(mark) };
}

const only = (resources: RecordedResource[], type: string, name?: string) => {
  const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  assert.equal(found.length, 1, `one ${type} ${name ?? ""}, found ${found.length}`);
  return found[0];
};
const weighted = (resources: RecordedResource[]) =>
  resources.filter((r) => r.type === "aws:lb/listenerRule:ListenerRule" && r.name === `${rs.RUST_SCORER_NAME}-weighted-rule`);

const EXPECTED_ROUTE = [
  { hostHeader: { values: ["*.passport.xyz"] } },
  { pathPattern: { values: ["/v2/stamps/*/score/*"] } },
  { httpRequestMethod: { values: ["GET"] } },
];

describe("rust scorer at 5 % in us-west-2", () => {
  let scorer: rs.RustScorer;
  let resources: RecordedResource[];
  before(async () => ({ scorer, resources } = await build({ rustRoutingPercent: 5 })));

  it("is a Zip function: provided.al2023, bootstrap, arm64, 256 MB, 30 s, published", async () => {
    const fn = only(resources, "aws:lambda/function:Function").inputs;
    assert.equal(fn.name, "passport-v2-rust-scorer");
    assert.equal(fn.packageType, "Zip");
    assert.equal(fn.runtime, "provided.al2023");
    assert.equal(fn.handler, "bootstrap");
    assert.deepEqual(fn.architectures, ["arm64"]);
    assert.equal(fn.memorySize, 256);
    assert.equal(fn.timeout, 30);
    assert.equal(fn.publish, true);
    assert.equal(fn.sourceCodeHash, "c2hhMjU2LW9mLXRoZS16aXA=");
    assert.equal(await fn.code.path, "/nonexistent/under/mocks/bootstrap.zip");
    assert.doesNotMatch(fn.description, /STUB/);
  });

  it("carries the ADOT collector ARM64 layer of the stack's region", () => {
    const fn = only(resources, "aws:lambda/function:Function").inputs;
    assert.deepEqual(fn.layers, ["arn:aws:lambda:us-west-2:901920570463:layer:aws-otel-collector-arm64-ver-0-117-0:1"]);
    assert.equal(scorer.layerArn, fn.layers[0]);
  });

  it("traces actively and sets exactly the OTEL and app variables (no exec wrapper)", () => {
    const fn = only(resources, "aws:lambda/function:Function").inputs;
    assert.deepEqual(fn.tracingConfig, { mode: "Active" });
    assert.deepEqual(fn.environment.variables, {
      DEBUG: "off",
      LOGGING_STRATEGY: "structlog_json",
      OTEL_ENABLED: "true",
      OTEL_SERVICE_NAME: "rust-scorer",
      OPENTELEMETRY_COLLECTOR_CONFIG_URI: "/var/task/collector.yaml",
      ENVIRONMENT: "staging",
    });
    assert.equal(fn.environment.variables.AWS_LAMBDA_EXEC_WRAPPER, undefined);
  });

  it("runs in the private subnets with the given security group", () => {
    const fn = only(resources, "aws:lambda/function:Function").inputs;
    assert.deepEqual(fn.vpcConfig, { securityGroupIds: ["sg-lambda"], subnetIds: ["subnet-a", "subnet-b"] });
  });

  it("has a role with basic + VPC execution and the X-Ray write actions", () => {
    const attachments = resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => r.inputs.policyArn);
    assert.deepEqual(attachments.sort(), [
      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    ]);
    const policy = JSON.parse(only(resources, "aws:iam/rolePolicy:RolePolicy").inputs.policy);
    assert.deepEqual(policy.Statement[0].Action, ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]);
    const trust = JSON.parse(only(resources, "aws:iam/role:Role").inputs.assumeRolePolicy);
    assert.equal(trust.Statement[0].Principal.Service, "lambda.amazonaws.com");
    const fn = only(resources, "aws:lambda/function:Function");
    for (const policy of ["basic-execution", "vpc-access", "xray"]) {
      assert.ok(fn.dependencies.some((urn) => urn.endsWith(`::${rs.RUST_SCORER_NAME}-${policy}`)), `function waits for ${policy}`);
    }
  });

  it("routes X-Use-Rust-Scorer: true requests on the score path at priority 99", async () => {
    const rule = only(resources, "aws:lb/listenerRule:ListenerRule", `${rs.RUST_SCORER_NAME}-listener-rule`).inputs;
    assert.equal(rule.priority, 99);
    assert.equal(rule.listenerArn, LISTENER);
    assert.deepEqual(rule.conditions, [...EXPECTED_ROUTE, { httpHeader: { httpHeaderName: "X-Use-Rust-Scorer", values: ["true"] } }]);
    assert.deepEqual(rule.actions, [{ type: "forward", targetGroupArn: await valueOf(scorer.targetGroup.arn) }]);
    assert.equal(only(resources, "aws:lb/targetGroup:TargetGroup").inputs.name, "l-passport-v2-rust-scorer");
  });

  it("splits ordinary score requests 95/5 at priority 100 with one-hour stickiness", async () => {
    const rules = weighted(resources);
    assert.equal(rules.length, 1);
    const rule = rules[0].inputs;
    assert.equal(rule.priority, 100);
    assert.deepEqual(rule.conditions, EXPECTED_ROUTE, "same route, no header");
    assert.deepEqual(rule.actions, [
      {
        type: "forward",
        forward: {
          targetGroups: [
            { arn: PYTHON_TG, weight: 95 },
            { arn: await valueOf(scorer.targetGroup.arn), weight: 5 },
          ],
          stickiness: { enabled: true, duration: 3600 },
        },
      },
    ]);
  });

  it("raises the 4XX, 5XX and latency alarms to the alert topic", () => {
    const alarms = resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => r.inputs);
    assert.deepEqual(
      alarms.map((a) => [a.metricName, a.threshold]).sort(),
      [["HTTPCode_Target_4XX_Count", 400], ["HTTPCode_Target_5XX_Count", 10], ["TargetResponseTime", 3]],
    );
    for (const a of alarms) assert.deepEqual(a.alarmActions, ["arn:aws:sns:us-west-2:123456789012:alerts"]);
  });

  it("exposes the live alias that ignores version and routing changes", () => {
    const alias = only(resources, "aws:lambda/alias:Alias");
    assert.equal(alias.inputs.name, "live");
    assert.deepEqual([...alias.ignoreChanges].sort(), ["functionVersion", "routingConfig"]);
  });
});

describe("rust scorer routing settings", () => {
  it("uses the layer of another region when the stack is elsewhere", async () => {
    const { resources } = await build({ region: "eu-central-1" });
    const fn = only(resources, "aws:lambda/function:Function").inputs;
    assert.deepEqual(fn.layers, ["arn:aws:lambda:eu-central-1:901920570463:layer:aws-otel-collector-arm64-ver-0-117-0:1"]);
  });

  it("creates no weighted rule when rustRoutingPercent is unset", async () => {
    const { resources, scorer } = await build({ rustRoutingPercent: undefined });
    assert.equal(weighted(resources).length, 0);
    assert.equal(scorer.weightedRule, undefined);
    assert.equal(only(resources, "aws:lb/listenerRule:ListenerRule").inputs.priority, 99, "header rule still there");
  });

  it("creates no weighted rule at 0 % (Python's own rule already takes all of it)", async () => {
    const { resources } = await build({ rustRoutingPercent: 0 });
    assert.equal(weighted(resources).length, 0);
  });

  it("sends everything to Rust at 100 % (Python weight 0)", async () => {
    const { resources } = await build({ rustRoutingPercent: 100 });
    const targetGroups = weighted(resources)[0].inputs.actions[0].forward.targetGroups;
    assert.deepEqual(targetGroups.map((t: { weight: number }) => t.weight), [0, 100]);
  });

  it("does not need the Python target group when nothing is weighted", async () => {
    const { resources } = await build({ rustRoutingPercent: 0, pythonScorerTargetGroupArn: undefined });
    assert.equal(weighted(resources).length, 0);
  });

  it("refuses a percentage without the Python target group, naming the config key", () => {
    assert.throws(
      () => rs.createRustScorer({ ...baseArgs(), rustRoutingPercent: 10, pythonScorerTargetGroupArn: undefined }),
      /rustRoutingPercent is 10 but pythonScorerTargetGroupArn is not set.*pulumi config set pythonScorerTargetGroupArn/,
    );
  });

  it("refuses a percentage outside 0..100", () => {
    assert.throws(() => rs.createRustScorer({ ...baseArgs(), rustRoutingPercent: 101 }), /rustRoutingPercent must be a whole number from 0 to 100, got 101/);
  });
});

describe("parseRustRoutingPercent", () => {
  it("accepts unset and whole numbers 0..100 as numbers or strings", () => {
    assert.equal(rs.parseRustRoutingPercent(undefined), undefined);
    assert.equal(rs.parseRustRoutingPercent(""), undefined);
    assert.equal(rs.parseRustRoutingPercent("0"), 0);
    assert.equal(rs.parseRustRoutingPercent(" 25 "), 25);
    assert.equal(rs.parseRustRoutingPercent(100), 100);
  });

  for (const bad of ["101", "-1", "5.5", "five", "10%", 150, 2.5, true]) {
    it(`rejects ${JSON.stringify(bad)} with a one-line fix`, () => {
      assert.throws(() => rs.parseRustRoutingPercent(bad), (err: Error) => {
        assert.match(err.message, /^rustRoutingPercent must be a whole number from 0 to 100, got .+ \(fix: pulumi config set rustRoutingPercent 5\)$/);
        assert.doesNotMatch(err.message, /\n/);
        return true;
      });
    });
  }

  it("weights are the complement", () => {
    assert.deepEqual(rs.weightsFor(5), { python: 95, rust: 5 });
    assert.deepEqual(rs.weightsFor(50), { python: 50, rust: 50 });
  });

  it("refuses a region that is not one", () => {
    assert.throws(() => rs.otelCollectorLayerArn("uswest2"), /not an AWS region: "uswest2"/);
  });
});

function baseArgs(): rs.RustScorerArgs {
  return {
    environment: "staging",
    region: "us-west-2",
    code: new pulumi.asset.FileArchive("/x.zip"),
    albListenerArn: LISTENER,
    vpcPrivateSubnetIds: ["subnet-a"],
    lambdaSecurityGroupId: "sg-lambda",
    pythonScorerTargetGroupArn: PYTHON_TG,
  };
}
