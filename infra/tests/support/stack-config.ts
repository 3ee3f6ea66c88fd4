/**
 * Reads a stack file (infra/aws/Pulumi.<stack>.yaml) into the flat map the Pulumi CLI hands a program:
 * `project:key` -> string, structured values (lists, objects) as JSON.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

const STACK_DIR = path.resolve(__dirname, "..", "..", "aws");

export function stackConfig(stack: string, overrides: Record<string, string> = {}): Record<string, string> {
  const file = path.join(STACK_DIR, `Pulumi.${stack}.yaml`);
  const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
  if (!doc?.config) throw new Error(`${file} has no config section`);
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc.config)) {
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { ...config, ...overrides };
}
