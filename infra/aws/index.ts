/**
 * Pulumi program entry (`infra/aws`, project `passport-scorer`, stacks passportxyz/passport-scorer/<env>).
 *
 * Loads the rust scorer zip (see rust-scorer-zip.ts for where it is looked for and the stub escape hatch),
 * builds the v2 resources and exports what `jbang deploy@.`, `verify-deploy@.` and `rollout@.` read back.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadRustScorerZip } from "./rust-scorer-zip";
import { createV2 } from "./v2";

const rustScorerZip = loadRustScorerZip({
  programDir: __dirname,
  env: process.env,
  warn: (message) => void pulumi.log.warn(message),
});

const { rustScorer } = createV2({
  rustScorerZipArchive: rustScorerZip.archive,
  rustScorerCodeSha256: rustScorerZip.isStub ? undefined : rustScorerZip.codeSha256,
  rustScorerIsStub: rustScorerZip.isStub,
});

export const rustScorerFunctionName = rustScorer.fn.name;
export const rustScorerFunctionArn = rustScorer.fn.arn;
/** The version this `up` published; `jbang rollout@.` shifts the alias to it. */
export const rustScorerPublishedVersion = rustScorer.fn.version;
export const rustScorerAliasName = rustScorer.alias.name;
export const rustScorerAliasArn = rustScorer.alias.arn;
export const rustScorerLayerArn = rustScorer.layerArn;
export const rustScorerTargetGroupArn = rustScorer.targetGroup.arn;
/** What Lambda must report as CodeSha256 after the deploy ("stub" when the stub archive was deployed). */
export const rustScorerCodeSha256 = rustScorerZip.codeSha256;
export const rustScorerAlarmNames = pulumi.all(Object.values(rustScorer.alarms).map((alarm) => alarm.name));
export const rustScorerHeaderRuleArn = rustScorer.listenerRule.arn;
export const rustScorerWeightedRuleArn = rustScorer.weightedRule ? rustScorer.weightedRule.arn : "none";
