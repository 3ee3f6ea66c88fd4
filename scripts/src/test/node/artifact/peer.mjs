// The official @actions/artifact client as a test peer of upload-artifact / download-artifact.
// Environment (set by the caller before this process starts, as artifacts-v4.md §10 requires):
//   ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL  (twirp), GITHUB_API_URL (REST), GITHUB_SERVER_URL unset.
// Usage:
//   node peer.mjs upload <name> <rootDir> <file>... [--level N]
//   node peer.mjs download <name> <dir>                              same run, twirp
//   node peer.mjs download-rest <name> <dir> <runId> <owner/repo>    other run, REST (GITHUB_TOKEN)
// Prints one line "RESULT {json}" on success; exits 1 with the error otherwise.
import { DefaultArtifactClient } from '@actions/artifact';

const [command, ...args] = process.argv.slice(2);
const client = new DefaultArtifactClient();

async function main() {
  if (command === 'upload') {
    const levelAt = args.indexOf('--level');
    const level = levelAt >= 0 ? Number(args.splice(levelAt, 2)[1]) : 6;
    const [name, root, ...files] = args;
    const r = await client.uploadArtifact(name, files, root, { compressionLevel: level });
    return { id: r.id, size: r.size, digest: r.digest };
  }
  if (command === 'download' || command === 'download-rest') {
    const [name, dir, runId, repo] = args;
    const findBy = command === 'download-rest'
      ? { token: process.env.GITHUB_TOKEN, workflowRunId: Number(runId),
          repositoryOwner: repo.split('/')[0], repositoryName: repo.split('/')[1] }
      : undefined;
    const { artifact } = await client.getArtifact(name, findBy ? { findBy } : undefined);
    const r = await client.downloadArtifact(artifact.id, { path: dir, expectedHash: artifact.digest, findBy });
    if (r.digestMismatch) throw new Error('digest mismatch');
    return { id: artifact.id, size: artifact.size, digest: artifact.digest, path: r.downloadPath };
  }
  throw new Error(`unknown command ${command}`);
}

main().then(
  (result) => { console.log('RESULT ' + JSON.stringify(result)); },
  (error) => { console.error('peer failed: ' + (error && error.stack || error)); process.exit(1); });
