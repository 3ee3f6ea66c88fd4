package scorerci.net;

/** Which remote we talk to; it decides the hints attached to a failure. */
public enum Surface {
    /** The Results twirp service (ACTIONS_RUNTIME_TOKEN). */
    RESULTS(
            "the Results service",
            "ACTIONS_RUNTIME_TOKEN is valid only inside its own job; hand it to this step with ./.github/actions/artifact-runtime in this job",
            "the runtime token may not write artifacts here; this runs only in the job that owns the token"),
    /** Azure blob storage behind a SAS URL. */
    BLOB(
            "blob storage",
            "the signed URL expired or was altered; rerun the command to get a fresh one",
            "the signed URL expired or was altered; rerun the command to get a fresh one"),
    /** The GitHub REST API (GITHUB_TOKEN). */
    REST(
            "the GitHub API",
            "GITHUB_TOKEN is missing, wrong or expired; pass a current token in GITHUB_TOKEN",
            "the token lacks permission: give the workflow 'permissions: actions: read' (or a token with Actions read access to --repo)");

    final String label;
    final String hint401;
    final String hint403;

    Surface(String label, String hint401, String hint403) {
        this.label = label;
        this.hint401 = hint401;
        this.hint403 = hint403;
    }
}
