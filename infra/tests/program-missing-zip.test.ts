/**
 * The whole program when things are missing or wrong: no zip (hard error, or the stub with
 * ALLOW_MISSING_RUST_SCORER), a bad percentage, missing stack config. Each failure must stop the program
 * before it registers any resource.
 */
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, valueOf } from "./support/pulumi-mocks";
import { registeredAll } from "./support/program-outputs";
import { tempDir, writeBootstrapZip } from "./support/zip-fixture";
import { stackConfig } from "./support/stack-config";

type Program = typeof import("../aws/index");
const PROGRAM = require.resolve("../aws/index");

/** Runs the program afresh, the way `pulumi preview` would start it. */
function loadProgram(): Program {
  delete require.cache[PROGRAM];
  return require(PROGRAM);
}

function withEnv<T>(env: Record<string, string | undefined>, body: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  try {
    return body();
  } finally {
    for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  }
}

describe("program failures stop it before any resource", () => {
  it("a missing zip is a hard error that says how to get it", () => {
    const log = installMocks({ stack: "staging", config: stackConfig("staging") });
    const zipPath = path.join(tempDir(), "rust-scorer-artifact", "bootstrap.zip");
    withEnv({ RUST_SCORER_ZIP: zipPath, ALLOW_MISSING_RUST_SCORER: undefined }, () => {
      assert.throws(loadProgram, (err: Error) => {
        assert.equal(
          err.message,
          `Rust scorer zip not found at ${zipPath}: build it with \`jbang build-zip@.\` or fetch CI's with ` +
            "`jbang download-artifact@. --tag <tag>` (or point RUST_SCORER_ZIP at it); " +
            "to preview without it set ALLOW_MISSING_RUST_SCORER=true (deploys a stub that fails every request)",
        );
        return true;
      });
    });
    assert.equal(log.resources.length, 0);
  });

  it("a rustRoutingPercent outside 0..100 is refused", async () => {
    const fixture = await writeBootstrapZip();
    const log = installMocks({ stack: "staging", config: stackConfig("staging", { "passport-scorer:rustRoutingPercent": "150" }) });
    withEnv({ RUST_SCORER_ZIP: fixture.zipPath }, () => {
      assert.throws(loadProgram, /^Error: rustRoutingPercent must be a whole number from 0 to 100, got "150"/);
    });
    assert.equal(log.resources.length, 0);
  });

  it("a missing listener ARN in stack config names the key", async () => {
    const fixture = await writeBootstrapZip();
    const config = stackConfig("staging");
    delete config["passport-scorer:albListenerArn"];
    const log = installMocks({ stack: "staging", config });
    withEnv({ RUST_SCORER_ZIP: fixture.zipPath }, () => {
      assert.throws(loadProgram, /Missing required configuration variable 'passport-scorer:albListenerArn'/);
    });
    assert.equal(log.resources.length, 0);
  });

  it("subnet ids that are not a list are refused with the fix", async () => {
    const fixture = await writeBootstrapZip();
    const log = installMocks({ stack: "staging", config: stackConfig("staging", { "passport-scorer:vpcPrivateSubnetIds": '"subnet-1"' }) });
    withEnv({ RUST_SCORER_ZIP: fixture.zipPath }, () => {
      assert.throws(loadProgram, /config passport-scorer:vpcPrivateSubnetIds must be a non-empty list of strings/);
    });
    assert.equal(log.resources.length, 0);
  });
});

describe("program with ALLOW_MISSING_RUST_SCORER=true and no zip (production stack, 0 %)", () => {
  it("deploys the named stub, warns, outputs 'stub' and creates no weighted rule", async () => {
    const log = installMocks({ stack: "production", config: stackConfig("production") });
    const warnings: string[] = [];
    const originalWarn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
    let program: Program;
    try {
      program = withEnv(
        { RUST_SCORER_ZIP: path.join(tempDir(), "nope", "bootstrap.zip"), ALLOW_MISSING_RUST_SCORER: "true" },
        loadProgram,
      );
    } finally {
      console.warn = originalWarn;
    }

    await registeredAll(program);
    assert.equal(program.rustScorerCodeSha256, "stub");
    assert.equal(await valueOf(program.rustScorerWeightedRuleArn), "none");
    assert.equal(await valueOf(program.rustScorerFunctionName), "passport-v2-rust-scorer");
    assert.ok(warnings.some((w) => /warning: .*deploying the stub archive "rust-scorer-STUB-missing-zip"/.test(w)), warnings.join("\n"));

    const fn = log.one("aws:lambda/function:Function").inputs;
    assert.ok(fn.code instanceof pulumi.asset.AssetArchive, "stub archive, not a FileArchive");
    const assets = await fn.code.assets;
    assert.ok("bootstrap" in assets && "rust-scorer-STUB-missing-zip.txt" in assets, Object.keys(assets).join(","));
    assert.match(await (assets.bootstrap as pulumi.asset.StringAsset).text, /exit 1/);
    assert.equal(fn.sourceCodeHash, undefined);
    assert.match(fn.description, /STUB/);
    assert.equal(fn.environment.variables.ENVIRONMENT, "production");

    const rules = log.ofType("aws:lb/listenerRule:ListenerRule");
    assert.deepEqual(rules.map((r) => r.inputs.priority), [99], "production is at 0 %: header rule only");
  });
});
