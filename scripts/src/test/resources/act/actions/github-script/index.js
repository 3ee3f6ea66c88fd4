// github-script stand-in: the subset of @actions/core the workflows' scripts use, writing the
// same file commands (GITHUB_OUTPUT, GITHUB_ENV with a heredoc delimiter) and log commands.
"use strict";
const fs = require("node:fs");
const crypto = require("node:crypto");

function fileCommand(variable, name, value) {
  const file = process.env[variable];
  if (!file) throw new Error(`${variable} is not set`);
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  const text = String(value);
  if (name.includes(delimiter) || text.includes(delimiter)) throw new Error("value contains the delimiter");
  fs.appendFileSync(file, `${name}<<${delimiter}\n${text}\n${delimiter}\n`);
}

const core = {
  setOutput: (name, value) => fileCommand("GITHUB_OUTPUT", name, value),
  exportVariable: (name, value) => { process.env[name] = String(value); fileCommand("GITHUB_ENV", name, value); },
  setSecret: (value) => { if (value) process.stdout.write(`::add-mask::${value}\n`); },
  setFailed: (message) => { process.exitCode = 1; process.stdout.write(`::error::${message}\n`); },
  info: (message) => process.stdout.write(`${message}\n`),
};

const log = process.env.SCORER_ACT_LOG;
if (log) {
  fs.appendFileSync(log, `github-script runtime-token=${process.env.ACTIONS_RUNTIME_TOKEN ? "set" : "unset"}`
    + ` results-url=${process.env.ACTIONS_RESULTS_URL ? "set" : "unset"}\n`);
}
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction("require", "core", "process", process.env.INPUT_SCRIPT || "")(require, core, process)
  .catch((e) => core.setFailed(e && e.message ? e.message : String(e)));
