/**
 * Finds the rust scorer's `bootstrap.zip` for the program.
 *
 * Default location: `../../rust-scorer-artifact/bootstrap.zip` seen from `infra/aws` (where CI's
 * download-artifact step puts it); `RUST_SCORER_ZIP` overrides it (relative paths from the working directory).
 * A missing zip is a hard error: the original pipeline silently skipped the Lambda when the zip was absent.
 * `ALLOW_MISSING_RUST_SCORER=true` is the explicit escape hatch for previews without an artifact: it deploys a
 * clearly named stub whose `bootstrap` exits 1.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

export const STUB_ARCHIVE_NAME = "rust-scorer-STUB-missing-zip";

export type RustScorerZip = {
  archive: pulumi.asset.Archive;
  /** base64(SHA-256) of the zip, what Lambda reports as CodeSha256; "stub" for the stub archive. */
  codeSha256: string;
  isStub: boolean;
  /** The path that was (or would have been) loaded. */
  zipPath: string;
};

export type ZipLookup = {
  /** The Pulumi program's directory (`infra/aws`). */
  programDir: string;
  env: Record<string, string | undefined>;
  cwd?: string;
  warn?: (message: string) => void;
};

export function defaultZipPath(programDir: string): string {
  return path.resolve(programDir, "..", "..", "rust-scorer-artifact", "bootstrap.zip");
}

export function resolveZipPath(lookup: ZipLookup): string {
  const override = lookup.env.RUST_SCORER_ZIP;
  if (override && override.trim() !== "") {
    return path.resolve(lookup.cwd ?? process.cwd(), override);
  }
  return defaultZipPath(lookup.programDir);
}

/** `ALLOW_MISSING_RUST_SCORER`: true/1/yes or false/0/no (or unset); anything else is a mistake worth naming. */
export function allowMissingZip(env: Record<string, string | undefined>): boolean {
  const raw = env.ALLOW_MISSING_RUST_SCORER;
  if (raw === undefined || raw.trim() === "") return false;
  const value = raw.trim().toLowerCase();
  if (["true", "1", "yes"].includes(value)) return true;
  if (["false", "0", "no"].includes(value)) return false;
  throw new Error(`ALLOW_MISSING_RUST_SCORER must be true or false, got "${raw}"`);
}

export function base64Sha256(bytes: Buffer): string {
  return crypto.createHash("sha256").update(bytes).digest("base64");
}

function missingZipMessage(zipPath: string): string {
  return (
    `Rust scorer zip not found at ${zipPath}: build it with \`jbang build-zip@.\` or fetch CI's with ` +
    "`jbang download-artifact@. --tag <tag>` (or point RUST_SCORER_ZIP at it); " +
    "to preview without it set ALLOW_MISSING_RUST_SCORER=true (deploys a stub that fails every request)"
  );
}

/**
 * A zip whose only program is a `bootstrap` that fails loudly, so the stub can never pass for the scorer
 * (should the engine drop its exec bit, Lambda fails it with Runtime.InvalidEntrypoint: a failure all the same).
 */
export function stubArchive(): pulumi.asset.AssetArchive {
  const script = [
    "#!/bin/sh",
    `# ${STUB_ARCHIVE_NAME}: deployed with ALLOW_MISSING_RUST_SCORER because bootstrap.zip was absent.`,
    `echo "${STUB_ARCHIVE_NAME}: this is not the rust scorer; deploy the real bootstrap.zip" >&2`,
    "exit 1",
    "",
  ].join("\n");
  return new pulumi.asset.AssetArchive({
    bootstrap: new pulumi.asset.StringAsset(script),
    [`${STUB_ARCHIVE_NAME}.txt`]: new pulumi.asset.StringAsset(
      "Stub archive: the rust scorer zip was missing when this stack was deployed.\n",
    ),
  });
}

export function loadRustScorerZip(lookup: ZipLookup): RustScorerZip {
  const zipPath = resolveZipPath(lookup);
  const allowMissing = allowMissingZip(lookup.env);
  if (!fs.existsSync(zipPath)) {
    if (!allowMissing) throw new Error(missingZipMessage(zipPath));
    (lookup.warn ?? console.warn)(
      `ALLOW_MISSING_RUST_SCORER is set and ${zipPath} is missing: deploying the stub archive "${STUB_ARCHIVE_NAME}" (every request to the rust scorer will fail)`,
    );
    return { archive: stubArchive(), codeSha256: "stub", isStub: true, zipPath };
  }
  const stat = fs.statSync(zipPath);
  if (!stat.isFile()) {
    throw new Error(`Rust scorer zip path ${zipPath} is not a file (expected bootstrap.zip from \`jbang build-zip@.\`)`);
  }
  const bytes = fs.readFileSync(zipPath);
  // A zip with entries starts with a local file header, "PK\x03\x04"; an empty zip ("PK\x05\x06") has no bootstrap.
  const magic = bytes.subarray(0, 4).toString("latin1");
  if (magic !== "PK\x03\x04") {
    throw new Error(`Rust scorer zip at ${zipPath} is not a zip archive with entries (rebuild it with \`jbang build-zip@.\`)`);
  }
  // The engine copies a FileArchive that is already a zip byte for byte (it only re-archives other formats),
  // so Lambda's CodeSha256 will equal this hash and the zip's exec bits and order survive.
  return { archive: new pulumi.asset.FileArchive(zipPath), codeSha256: base64Sha256(bytes), isStub: false, zipPath };
}
