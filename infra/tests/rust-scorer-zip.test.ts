/** Finding and loading bootstrap.zip: default path, override, hash, missing-zip error, the stub escape hatch. */
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as zip from "../aws/rust-scorer-zip";
import { tempDir, writeBootstrapZip } from "./support/zip-fixture";

const INFRA_AWS = path.resolve(__dirname, "..", "aws");

describe("where the zip is looked for", () => {
  it("defaults to ../../rust-scorer-artifact/bootstrap.zip seen from infra/aws (the repo root's artifact dir)", () => {
    const expected = path.resolve(__dirname, "..", "..", "rust-scorer-artifact", "bootstrap.zip");
    assert.equal(zip.resolveZipPath({ programDir: INFRA_AWS, env: {} }), expected);
    assert.equal(zip.defaultZipPath("/repo/infra/aws"), "/repo/rust-scorer-artifact/bootstrap.zip");
  });

  it("takes RUST_SCORER_ZIP, relative to the working directory", () => {
    assert.equal(zip.resolveZipPath({ programDir: INFRA_AWS, env: { RUST_SCORER_ZIP: "out/b.zip" }, cwd: "/work" }), "/work/out/b.zip");
    assert.equal(zip.resolveZipPath({ programDir: INFRA_AWS, env: { RUST_SCORER_ZIP: "/abs/b.zip" } }), "/abs/b.zip");
    assert.equal(zip.resolveZipPath({ programDir: "/r/infra/aws", env: { RUST_SCORER_ZIP: "  " } }), "/r/rust-scorer-artifact/bootstrap.zip");
  });
});

describe("loading a real zip", () => {
  it("returns a FileArchive of that path and the base64 SHA-256 Lambda will report as CodeSha256", async () => {
    const fixture = await writeBootstrapZip();
    const loaded = zip.loadRustScorerZip({ programDir: INFRA_AWS, env: { RUST_SCORER_ZIP: fixture.zipPath } });
    assert.equal(loaded.isStub, false);
    assert.equal(loaded.zipPath, fixture.zipPath);
    assert.equal(loaded.codeSha256, fixture.base64Sha256);
    assert.match(loaded.codeSha256, /^[A-Za-z0-9+/]{43}=$/);
    assert.ok(loaded.archive instanceof pulumi.asset.FileArchive);
    assert.equal(await (loaded.archive as pulumi.asset.FileArchive).path, fixture.zipPath);
  });

  it("gives a different hash for different content", async () => {
    const a = await writeBootstrapZip();
    fs.appendFileSync(a.zipPath, Buffer.from("trailing"));
    const loaded = zip.loadRustScorerZip({ programDir: INFRA_AWS, env: { RUST_SCORER_ZIP: a.zipPath } });
    assert.notEqual(loaded.codeSha256, a.base64Sha256);
  });

  it("refuses a file that is not a zip, and a directory", () => {
    const dir = tempDir();
    const notZip = path.join(dir, "bootstrap.zip");
    fs.writeFileSync(notZip, "ELF pretending to be a zip");
    assert.throws(() => zip.loadRustScorerZip({ programDir: INFRA_AWS, env: { RUST_SCORER_ZIP: notZip } }), /is not a zip archive with entries \(rebuild it with `jbang build-zip@.`\)/);
    assert.throws(() => zip.loadRustScorerZip({ programDir: INFRA_AWS, env: { RUST_SCORER_ZIP: dir } }), /is not a file/);
  });
});

describe("a missing zip", () => {
  const missing = () => path.join(tempDir(), "absent", "bootstrap.zip");

  it("is a hard error naming the path and how to get the zip", () => {
    const zipPath = missing();
    assert.throws(
      () => zip.loadRustScorerZip({ programDir: INFRA_AWS, env: { RUST_SCORER_ZIP: zipPath } }),
      (err: Error) => {
        assert.ok(err.message.startsWith(`Rust scorer zip not found at ${zipPath}: `), err.message);
        assert.match(err.message, /jbang build-zip@\./);
        assert.match(err.message, /jbang download-artifact@\. --tag <tag>/);
        assert.match(err.message, /ALLOW_MISSING_RUST_SCORER=true/);
        assert.doesNotMatch(err.message, /\n/);
        return true;
      },
    );
  });

  it("is still an error with ALLOW_MISSING_RUST_SCORER=false", () => {
    assert.throws(() => zip.loadRustScorerZip({ programDir: INFRA_AWS, env: { RUST_SCORER_ZIP: missing(), ALLOW_MISSING_RUST_SCORER: "false" } }), /not found/);
  });

  it("refuses an ALLOW_MISSING_RUST_SCORER value that is neither true nor false", () => {
    assert.throws(
      () => zip.loadRustScorerZip({ programDir: INFRA_AWS, env: { RUST_SCORER_ZIP: missing(), ALLOW_MISSING_RUST_SCORER: "maybe" } }),
      /^Error: ALLOW_MISSING_RUST_SCORER must be true or false, got "maybe"$/,
    );
  });

  it("becomes the named stub with ALLOW_MISSING_RUST_SCORER=true, with a warning", async () => {
    const warnings: string[] = [];
    const loaded = zip.loadRustScorerZip({
      programDir: INFRA_AWS,
      env: { RUST_SCORER_ZIP: missing(), ALLOW_MISSING_RUST_SCORER: "true" },
      warn: (m) => warnings.push(m),
    });
    assert.equal(loaded.isStub, true);
    assert.equal(loaded.codeSha256, "stub");
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /ALLOW_MISSING_RUST_SCORER is set .* deploying the stub archive "rust-scorer-STUB-missing-zip"/);

    assert.ok(loaded.archive instanceof pulumi.asset.AssetArchive);
    const assets = (await (loaded.archive as pulumi.asset.AssetArchive).assets) as Record<string, pulumi.asset.StringAsset>;
    assert.deepEqual(Object.keys(assets).sort(), ["bootstrap", "rust-scorer-STUB-missing-zip.txt"]);
    const script = (await assets.bootstrap.text) as string;
    assert.match(script, /^#!\/bin\/sh\n/);
    assert.match(script, /\nexit 1\n$/);
    assert.match(script, /rust-scorer-STUB-missing-zip/);
  });

  it("the stub's bootstrap really exits 1 when run", async () => {
    const assets = (await zip.stubArchive().assets) as Record<string, pulumi.asset.StringAsset>;
    const script = path.join(tempDir(), "bootstrap");
    fs.writeFileSync(script, (await assets.bootstrap.text) as string, { mode: 0o755 });
    const run = spawnSync(script, [], { encoding: "utf8" });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /rust-scorer-STUB-missing-zip: this is not the rust scorer/);
  });

  it("uses the stub for the default path too when the artifact dir is empty", () => {
    const programDir = path.join(tempDir(), "infra", "aws");
    const loaded = zip.loadRustScorerZip({ programDir, env: { ALLOW_MISSING_RUST_SCORER: "1" }, warn: () => {} });
    assert.equal(loaded.isStub, true);
    assert.equal(loaded.zipPath, path.resolve(programDir, "../../rust-scorer-artifact/bootstrap.zip"));
  });
});
