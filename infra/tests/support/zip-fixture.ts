/** A real, small `bootstrap.zip` (exec bit on `bootstrap`, `collector.yaml` beside it) in a fresh temp dir. */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import JSZip from "jszip";

export type ZipFixture = { dir: string; zipPath: string; bytes: Buffer; base64Sha256: string };

const created: string[] = [];
process.on("exit", () => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp dir, removed when the test process exits. */
export function tempDir(prefix = "infra-test-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export async function writeBootstrapZip(dir: string = tempDir(), name = "bootstrap.zip"): Promise<ZipFixture> {
  const zip = new JSZip();
  const date = new Date("1980-01-01T00:00:00Z");
  zip.file("bootstrap", "#!/bin/sh\necho fixture scorer\n", { unixPermissions: 0o755, date });
  zip.file("collector.yaml", "receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 0.0.0.0:4318\n", {
    unixPermissions: 0o644,
    date,
  });
  const bytes = await zip.generateAsync({ type: "nodebuffer", platform: "UNIX", compression: "DEFLATE" });
  const zipPath = path.join(dir, name);
  fs.writeFileSync(zipPath, bytes);
  // Computed independently of the code under test: hash of the bytes on disk.
  const base64Sha256 = crypto.createHash("sha256").update(fs.readFileSync(zipPath)).digest("base64");
  return { dir, zipPath, bytes, base64Sha256 };
}
