"""A faithful, stateful fake of the `pulumi` CLI for the deploy tests and benchmark.

The real Pulumi CLI v3.276.0 runs in the contract tests (scripts/tools/pulumi.sh builds it), but
infra/aws needs the Node.js language host and the AWS provider plugin, which cannot be obtained
here; for the tests of infra/aws's deploy, `FakePulumi.java` copies this file next to a `pulumi`
launcher on PATH. Its `--json` output is modelled on transcripts recorded from the real CLI
(test resources scorerci/pulumi/transcripts/v3.276.0), and FakeFollowsRealPulumiTest runs this fake
and the real CLI on the same YAML test program and fails when their event shapes differ; for that
program (runtime: yaml) the fake models the test provider's scorertest:index:Function.

What it keeps, in the directory holding this file:
  state.json         logins, the stack selected per project, each stack's config,
                     resources (after `up`) and outputs
  invocations.jsonl  one JSON line per call: args, cwd, selected env (secrets only as
                     "[set]"), exit code, start/end and duration in ms
  control.json       scripted behaviour written by the tests: failures per command

What it answers, in the real CLI's formats:
  version; whoami; stack select [-c] NAME; stack output [--json] [--show-secrets] [NAME];
  config set KEY VALUE / config get KEY; preview [--diff] [--json]; up [--yes]
  [--skip-preview] [--json]. Global: -s/--stack, -C/--cwd, --non-interactive, --color.
  Errors print `error: ...` and exit 1, as the real CLI v3.276.0 does.

The "program" it runs is a model of infra/aws: the rust scorer Lambda (zip from
RUST_SCORER_ZIP, else ../../rust-scorer-artifact/bootstrap.zip as infra/aws/index.ts
loads it), its alias, target group, permission, attachment, listener rule and alarms.
A missing zip fails like the program does unless ALLOW_MISSING_RUST_SCORER is set;
a missing aws:region fails like the AWS provider does.

The AWS provider (opt-in, for the end-to-end tests against moto): with FAKE_PULUMI_AWS_ENDPOINT
set to a LOOPBACK url (anything else is refused, so no test can reach AWS), `up` makes the
Lambda and IAM API calls the provider makes for the function's steps, SigV4-signed with
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY: CreateRole, CreateFunction from the program's zip with
its settings (provided.al2023, bootstrap, arm64, 256 MB, 30 s, the OTEL layer, publish) or
UpdateFunctionConfiguration / UpdateFunctionCode + publish on a change, and CreateAlias `live`
once (the program ignores later alias changes); the outputs then hold the published version and
ARNs Lambda returned. (The real provider would read AWS_ENDPOINT_URL; the fake asks for its own
variable so that it never calls anything it was not pointed at.) Not modelled in AWS: VPC config,
target group, permission, attachment, listener rule, alarms (state only, as without the provider).
Two knobs model a program that deploys something else than it claims:
  FAKE_PULUMI_UPLOAD_ZIP=PATH       the provider uploads PATH's bytes, the program still reports
                                    rustScorerCodeSha256 of its own zip (like code changed behind
                                    Pulumi's back);
  FAKE_PULUMI_ARCHITECTURE=x86_64   the program's function architecture (a program that forgot
                                    `architectures` gets Lambda's default, x86_64).
"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
STATE = os.path.join(HERE, "state.json")
LOG = os.path.join(HERE, "invocations.jsonl")
CONTROL = os.path.join(HERE, "control.json")

RECORDED_ENV = ["RUST_SCORER_ZIP", "DOCKER_IMAGE_TAG", "PULUMI_SKIP_UPDATE_CHECK", "PULUMI_BACKEND_URL",
                "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "ALLOW_MISSING_RUST_SCORER", "CI",
                "GITHUB_ACTIONS"]
SECRET_ENV = ["PULUMI_ACCESS_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]
ACCOUNT = "123456789012"
LAYER = "arn:aws:lambda:{region}:901920570463:layer:aws-otel-collector-arm64-ver-0-117-0:1"
FUNCTION = "passport-v2-rust-scorer"


class CliError(Exception):
    def __init__(self, message, code=1):  # the real CLI v3.276.0 exits 1 on every error
        super().__init__(message)
        self.code = code


def load(path, default):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def save(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, sort_keys=True)
    os.replace(tmp, path)


def out(text=""):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------- arguments

FLAGS_WITH_VALUE = {"-s", "--stack", "-C", "--cwd", "--color", "-m", "--message", "-p", "--parallel",
                    "--config-file", "--save-plan", "--plan"}


def parse(argv):
    """Splits argv into positionals and options (--x=v and -x v forms), like cobra does."""
    positionals, options = [], {}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("-") and a != "-":
            if "=" in a and a.startswith("--"):
                k, v = a.split("=", 1)
                options[k] = v
            elif a in FLAGS_WITH_VALUE:
                if i + 1 >= len(argv):
                    raise CliError("flag needs an argument: " + a)
                options[a] = argv[i + 1]
                i += 1
            else:
                options[a] = True
            i += 1
        else:
            positionals.append(a)
            i += 1
    return positionals, options


def opt(options, *names):
    for n in names:
        if n in options:
            return options[n]
    return None


# ---------------------------------------------------------------- project and stacks

def find_project(cwd):
    d = cwd
    while True:
        for name in ("Pulumi.yaml", "Pulumi.yml"):
            p = os.path.join(d, name)
            if os.path.isfile(p):
                with open(p, encoding="utf-8") as f:
                    m = re.search(r"^name:\s*['\"]?([^'\"\s]+)", f.read(), re.M)
                if not m:
                    raise CliError("could not load project: %s: name is required" % p)
                return d, m.group(1)
        parent = os.path.dirname(d)
        if parent == d:
            raise CliError("no Pulumi.yaml project file found (searching upwards from %s). If you have not "
                           "created a project yet, use `pulumi new` to do so: no project file found" % cwd)
        d = parent


def qualify(name, project, state):
    parts = name.split("/")
    if len(parts) == 1:
        return "%s/%s/%s" % (state["user"] or "organization", project, parts[0])
    if len(parts) == 2:
        return "%s/%s/%s" % (parts[0], project, parts[1])
    if len(parts) == 3:
        if parts[1] != project:
            raise CliError("provided project name \"%s\" doesn't match Pulumi.yaml" % parts[1])
        return name
    raise CliError("could not parse stack reference '%s'" % name)


def current_stack(options, project_dir, project, state):
    named = opt(options, "-s", "--stack")
    if named:
        full = qualify(named, project, state)
        if full not in state["stacks"]:
            raise CliError("no stack named '%s' found" % full)
        return full
    full = state["selected"].get(project_dir)
    if not full or full not in state["stacks"]:
        raise CliError("no stack selected; please use `pulumi stack select` or `pulumi stack init` "
                       "to choose one")
    return full


def short_name(full):
    return full.split("/")[-1]


# ---------------------------------------------------------------- login

def require_login(state, control):
    token = os.environ.get("PULUMI_ACCESS_TOKEN", "")
    if token:
        if control.get("reject_token") or token == control.get("rejected_token"):
            raise CliError("problem logging in: getting user info from https://api.pulumi.com: 401 HTTP "
                           "Error fetching user: Unauthorized: No credentials provided or are invalid.")
        state["user"] = state.get("token_user") or "passport-ci"
        return state["user"]
    if os.environ.get("PULUMI_BACKEND_URL"):
        state["user"] = os.environ.get("USER", "") or "local"
        return state["user"]
    if state.get("logged_in_as"):
        state["user"] = state["logged_in_as"]
        return state["user"]
    raise CliError("PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions")


# ---------------------------------------------------------------- the modelled program

def project_runtime(project_dir):
    for name in ("Pulumi.yaml", "Pulumi.yml"):
        path = os.path.join(project_dir, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                m = re.search(r"^runtime:\s*['\"]?(\w+)", f.read(), re.M)
            return m.group(1) if m else "nodejs"
    return "nodejs"


class ProgramError(CliError):
    """The language host's own error: the real CLI shows it as info#err diagnostics, then fails."""


def yaml_program(full, config, project_dir):
    """The YAML test program (scorerci/pulumi/program): one scorertest:index:Function whose inputs come
    from the project's config (defaults from Pulumi.yaml); an unknown ${name} is the host's error."""
    with open(os.path.join(project_dir, "Pulumi.yaml"), encoding="utf-8") as f:
        text = f.read()
    _, project, _ = full.split("/")
    defaults = dict(re.findall(r"^  (\w+):\n    type: string\n    default: ['\"]?([^'\"\n]*)['\"]?$", text, re.M))
    values = {k: config.get("%s:%s" % (project, k), v) for k, v in defaults.items()}
    for lineno, line in enumerate(text.splitlines(), 1):
        for ref in re.findall(r"\$\{(\w+)\}", line):
            if ref not in values and ref != "rustScorer":
                raise ProgramError('Error: resource, variable, or config value "%s" not found\n\n'
                                   '  on Pulumi.yaml line %d:\n\n  %d: %s\n' % (ref, lineno, lineno, line.strip()))
    fn = {"name": "passport-v2-rust-scorer", "codeSha256": values.get("codeSha256", ""),
          "architecture": values.get("architecture", ""), "environment": values.get("scorerSecret", ""),
          "failWith": values.get("failWith", "")}
    return [("pulumi:pulumi:Stack", "%s-%s" % (project, short_name(full)), {}),
            ("scorertest:index:Function", "rustScorer", fn)]


# properties whose change replaces the resource instead of updating it (the test provider's Diff)
REPLACE_KEYS = {"scorertest:index:Function": ("architecture", "name")}


def program(full, config, project_dir):
    """The resources infra/aws declares for this stack, as (type, name, inputs); or a program error."""
    if project_runtime(project_dir) == "yaml":
        return yaml_program(full, config, project_dir)
    region = config.get("aws:region")
    if not region:
        raise CliError("Missing required configuration variable 'aws:region'\n"
                       "    please set a value using the command `pulumi config set aws:region <value>`")
    zip_path = program_zip(project_dir)
    if os.path.isfile(zip_path):
        with open(zip_path, "rb") as f:
            code_hash = base64.b64encode(hashlib.sha256(f.read()).digest()).decode()
    elif os.environ.get("ALLOW_MISSING_RUST_SCORER"):
        code_hash = "stub-archive"
    else:
        raise CliError("Running program '%s' failed with an unhandled exception:\n"
                       "    Error: Rust scorer zip not found at %s. Download the rust-scorer artifact into "
                       "rust-scorer-artifact/ or set ALLOW_MISSING_RUST_SCORER=1 to deploy a stub."
                       % (project_dir, zip_path))
    stack = short_name(full)
    fn = {"name": FUNCTION, "packageType": "Zip", "runtime": "provided.al2023", "handler": "bootstrap",
          "architectures": [os.environ.get("FAKE_PULUMI_ARCHITECTURE") or "arm64"], "memorySize": 256, "timeout": 30, "publish": True,
          "layers": [LAYER.format(region=region)], "sourceCodeHash": code_hash,
          "environment": {"variables": {"OTEL_ENABLED": "true", "OTEL_SERVICE_NAME": "rust-scorer",
                                        "OPENTELEMETRY_COLLECTOR_CONFIG_URI": "/var/task/collector.yaml",
                                        "ENVIRONMENT": stack}}}
    alarms = [("aws:cloudwatch/metricAlarm:MetricAlarm", "%s-%s" % (FUNCTION, kind),
               {"metricName": metric, "namespace": "AWS/ApplicationELB"})
              for kind, metric in (("4xx", "HTTPCode_Target_4XX_Count"), ("5xx", "HTTPCode_Target_5XX_Count"),
                                   ("latency", "TargetResponseTime"))]
    return [
        ("pulumi:pulumi:Stack", "%s-%s" % (full.split("/")[1], stack), {}),
        ("pulumi:providers:aws", "default_7_48_0", {"region": region}),
        ("aws:iam/role:Role", FUNCTION + "-role", {"assumeRolePolicy": "lambda.amazonaws.com"}),
        ("aws:lambda/function:Function", FUNCTION, fn),
        ("aws:lambda/alias:Alias", FUNCTION + "-live", {"name": "live", "functionVersion": code_hash}),
        ("aws:lb/targetGroup:TargetGroup", "l-" + FUNCTION, {"targetType": "lambda"}),
        ("aws:lambda/permission:Permission", FUNCTION + "-alb",
         {"action": "lambda:InvokeFunction", "principal": "elasticloadbalancing.amazonaws.com"}),
        ("aws:lb/targetGroupAttachment:TargetGroupAttachment", FUNCTION + "-attachment", {}),
        ("aws:lb/listenerRule:ListenerRule", FUNCTION + "-https",
         {"priority": 99, "conditions": ["host *.passport.xyz", "path /v2/stamps/*/score/*", "GET",
                                         "X-Use-Rust-Scorer: true"]}),
    ] + alarms


def program_zip(project_dir):
    """Where infra/aws/rust-scorer-zip.ts looks: RUST_SCORER_ZIP, else <repo>/rust-scorer-artifact/bootstrap.zip."""
    return os.environ.get("RUST_SCORER_ZIP") or os.path.normpath(
        os.path.join(project_dir, "..", "..", "rust-scorer-artifact", "bootstrap.zip"))


def urn_of(full, type_, name):
    """urn:pulumi:<stack>::<project>::<type>::<name>, as the real CLI v3.276.0 writes it for the
    stack's children (recorded transcripts: no "pulumi:pulumi:Stack$" parent prefix)."""
    _, project, stack = full.split("/")
    return "urn:pulumi:%s::%s::%s::%s" % (stack, project, type_, name)


def plan(full, stack_state, project_dir):
    """Steps from the stack's resources to the program's: (op, urn, type, old, new, diffs)."""
    desired = program(full, stack_state["config"], project_dir)
    old_by_urn = {r["urn"]: r for r in stack_state["resources"]}
    steps, seen = [], set()
    for type_, name, inputs in desired:
        urn = urn_of(full, type_, name)
        seen.add(urn)
        new = {"urn": urn, "custom": type_ != "pulumi:pulumi:Stack", "type": type_, "inputs": inputs}
        old = old_by_urn.get(urn)
        if old is None:
            steps.append(("create", urn, type_, None, new, []))
        else:
            diffs = sorted(k for k in set(old["inputs"]) | set(inputs) if old["inputs"].get(k) != inputs.get(k))
            if type_ == "aws:lambda/function:Function" and "sourceCodeHash" in diffs:
                diffs = sorted(set(diffs) | {"code"})
            replaces = [k for k in diffs if k in REPLACE_KEYS.get(type_, ())]
            steps.append(("replace" if replaces else "update" if diffs else "same", urn, type_, old, new, diffs))
    for r in stack_state["resources"]:
        if r["urn"] not in seen:
            steps.append(("delete", r["urn"], r["type"], r, None, []))
    return steps


def outputs_of(full, config, steps, stack_version):
    test_fn = next((s[4] for s in steps if s[2] == "scorertest:index:Function"), None)
    if test_fn:  # the YAML test program's outputs (the same names as infra/aws exports)
        arn = "arn:aws:lambda:us-west-2:000000000000:function:" + test_fn["inputs"]["name"]
        return {"rustScorerFunctionName": test_fn["inputs"]["name"], "rustScorerFunctionArn": arn,
                "rustScorerPublishedVersion": str(stack_version[0]), "rustScorerAliasName": "live",
                "rustScorerAliasArn": arn + ":live", "rustScorerCodeSha256": test_fn["inputs"]["codeSha256"],
                "rustScorerEnvironment": "[secret]"}
    region = config["aws:region"]
    fn = next(s[4] for s in steps if s[2] == "aws:lambda/function:Function")
    arn = "arn:aws:lambda:%s:%s:function:%s" % (region, ACCOUNT, FUNCTION)
    return {"rustScorerFunctionName": FUNCTION, "rustScorerFunctionArn": arn,
            "rustScorerPublishedVersion": str(stack_version[0]),
            "rustScorerAliasName": "live", "rustScorerAliasArn": arn + ":live",
            "rustScorerLayerArn": fn["inputs"]["layers"][0],
            "rustScorerCodeSha256": fn["inputs"]["sourceCodeHash"]}


def summary(steps):
    counts = {}
    for s in steps:
        counts[s[0]] = counts.get(s[0], 0) + 1
    return counts


SYMBOL = {"create": "+", "update": "~", "delete": "-", "same": " "}
PAST = {"create": "created", "update": "updated", "delete": "deleted"}


def resources_block(counts, done):
    lines = ["Resources:"]
    for op in ("create", "update", "delete"):
        if counts.get(op):
            lines.append("    %s %d %s" % (SYMBOL[op], counts[op], PAST[op] if done else "to " + op))
    if counts.get("same"):
        lines.append("    %d unchanged" % counts["same"])
    return lines


def table(full, steps, done):
    lines = ["     %-55s %-36s %s" % ("Type", "Name", "Status" if done else "Plan")]
    for op, urn, type_, old, new, diffs in steps:
        name = urn.split("::")[-1]
        info = "[diff: ~%s]" % ",".join(diffs) if diffs else ""
        word = (PAST.get(op, "") if done else op) if op != "same" else ""
        lines.append(" %s   %-55s %-36s %-10s %s" % (SYMBOL.get(op, "?"), type_, name, word, info))
    return lines


def check_failure(control, command):
    failure = control.get("fail", {}).get(command)
    if failure:
        return failure.get("message", "%s failed" % command), int(failure.get("exit", 1))
    return None


# ---------------------------------------------------------------- the AWS provider (opt-in, loopback only)

AWS_ENDPOINT_ENV = "FAKE_PULUMI_AWS_ENDPOINT"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
LAMBDA_API = "/2015-03-31/functions"


class AwsError(Exception):
    def __init__(self, operation, status, code, message):
        super().__init__("%s: operation error Lambda: %s, https response error StatusCode: %d, api error %s: %s"
                         % (operation, operation, status, code, message))
        self.code = code


def aws_provider(region, project_dir):
    """The provider for this `up`, or None when FAKE_PULUMI_AWS_ENDPOINT is unset."""
    url = os.environ.get(AWS_ENDPOINT_ENV, "").strip()
    if not url:
        return None
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme != "http" or parsed.hostname not in LOOPBACK:
        raise CliError("%s=%s: the fake pulumi deploys only to a local AWS emulator such as "
                       "http://127.0.0.1:5000" % (AWS_ENDPOINT_ENV, url))
    key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not key or not secret:
        raise CliError("configuring Terraform AWS Provider: no valid credential sources for Terraform AWS "
                       "Provider found.")
    return AwsProvider(url.rstrip("/"), region, key, secret, os.environ.get("AWS_SESSION_TOKEN"),
                       program_zip(project_dir))


class AwsProvider:
    def __init__(self, endpoint, region, key, secret, token, zip_path):
        self.endpoint, self.region, self.zip_path = endpoint, region, zip_path
        self.key, self.secret, self.token = key, secret, token
        self.version = None      # what this up published
        self.function_arn = None

    # -- the resources' steps

    def apply(self, op, type_, new, diffs, stack_state):
        if op == "same" or op == "delete":
            return  # deletes are not modelled in AWS; a same step makes no calls
        if type_ == "aws:lambda/function:Function":
            self.function(op, new["inputs"], diffs, stack_state)
        elif type_ == "aws:lambda/alias:Alias" and op == "create":
            # ignoreChanges [functionVersion, routingConfig]: only the create reaches Lambda
            self.alias(new["inputs"]["name"], stack_state)

    def function(self, op, fn, diffs, stack_state):
        name = fn["name"]
        code = self.code_bytes(stack_state)
        if op == "create":
            body = dict(self.configuration(fn), FunctionName=name, PackageType=fn["packageType"],
                        Role=self.role(stack_state), Architectures=fn["architectures"], Publish=fn["publish"],
                        Code={"ZipFile": base64.b64encode(code).decode()})
            config = self.lambda_call("CreateFunction", "POST", LAMBDA_API, body)
            if config.get("Version") == "$LATEST":
                config = self.lambda_call("PublishVersion", "POST", "%s/%s/versions" % (LAMBDA_API, name), {})
        else:
            config_diffs = set(diffs) - {"code", "sourceCodeHash", "architectures"}
            if config_diffs:
                self.lambda_call("UpdateFunctionConfiguration", "PUT", "%s/%s/configuration" % (LAMBDA_API, name),
                                 self.configuration(fn))
            if {"code", "architectures"} & set(diffs):
                config = self.lambda_call("UpdateFunctionCode", "PUT", "%s/%s/code" % (LAMBDA_API, name),
                                          {"ZipFile": base64.b64encode(code).decode(),
                                           "Architectures": fn["architectures"], "Publish": fn["publish"]})
                if config.get("Version") == "$LATEST":
                    config = self.lambda_call("PublishVersion", "POST", "%s/%s/versions" % (LAMBDA_API, name), {})
            else:
                config = self.lambda_call("PublishVersion", "POST", "%s/%s/versions" % (LAMBDA_API, name), {})
        self.version = config["Version"]
        self.function_arn = ":".join(config["FunctionArn"].split(":")[:7])  # without the version qualifier

    def alias(self, alias_name, stack_state):
        if self.version is None:
            raise CliError("creating Lambda Alias (%s): the function has no published version" % alias_name)
        try:
            self.lambda_call("CreateAlias", "POST", "%s/%s/aliases" % (LAMBDA_API, FUNCTION),
                             {"Name": alias_name, "FunctionVersion": self.version})
        except AwsError as e:
            if e.code != "ResourceConflictException":  # already there: the program adopts it
                raise

    def configuration(self, fn):
        return {"Runtime": fn["runtime"], "Handler": fn["handler"], "MemorySize": fn["memorySize"],
                "Timeout": fn["timeout"], "Layers": fn["layers"], "TracingConfig": {"Mode": "Active"},
                "Environment": {"Variables": fn["environment"]["variables"]},
                "Description": "rust scorer (zip, provided.al2023, arm64, ADOT collector layer)"}

    def code_bytes(self, stack_state):
        path = os.environ.get("FAKE_PULUMI_UPLOAD_ZIP") or self.zip_path
        if not os.path.isfile(path):
            raise CliError("the stub archive is not modelled by the fake's AWS provider: %s is missing" % path)
        with open(path, "rb") as f:
            return f.read()

    def role(self, stack_state):
        """The function's role (Pulumi auto-names it; the fake uses a fixed name)."""
        if stack_state.get("aws_role_arn"):
            return stack_state["aws_role_arn"]
        name = FUNCTION + "-role"
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
            "Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
        try:
            xml = self.iam_call({"Action": "CreateRole", "RoleName": name, "AssumeRolePolicyDocument": policy})
        except AwsError as e:
            if e.code != "EntityAlreadyExists":
                raise
            xml = self.iam_call({"Action": "GetRole", "RoleName": name})
        stack_state["aws_role_arn"] = re.search(r"<Arn>([^<]+)</Arn>", xml).group(1)
        return stack_state["aws_role_arn"]

    # -- the wire: SigV4-signed HTTP, as the provider's SDK sends it

    def lambda_call(self, operation, method, path, body):
        data = json.dumps(body).encode()
        text = self.send(operation, "lambda", self.region, method, path, data, "application/json")
        return json.loads(text) if text.strip() else {}

    def iam_call(self, params):
        data = urllib.parse.urlencode(dict(params, Version="2010-05-08")).encode()
        return self.send(params["Action"], "iam", "us-east-1", "POST", "/", data,
                         "application/x-www-form-urlencoded; charset=utf-8")

    def send(self, operation, service, region, method, path, data, content_type):
        url = self.endpoint + path
        host = urllib.parse.urlparse(url).netloc
        now = datetime.datetime.now(datetime.timezone.utc)
        amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
        headers = {"content-type": content_type, "host": host, "x-amz-date": amz_date}
        if self.token:
            headers["x-amz-security-token"] = self.token
        signed = ";".join(sorted(headers))
        canonical = "\n".join([method, path, "", "".join("%s:%s\n" % (h, headers[h]) for h in sorted(headers)),
                               signed, hashlib.sha256(data).hexdigest()])
        scope = "%s/%s/%s/aws4_request" % (day, region, service)
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
        k = ("AWS4" + self.secret).encode()
        for part in (day, region, service, "aws4_request"):
            k = hmac.new(k, part.encode(), hashlib.sha256).digest()
        headers["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
            self.key, scope, signed, hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest())
        request = urllib.request.Request(url, data=data if method != "GET" else None, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.read().decode()
        except urllib.error.HTTPError as e:
            text = e.read().decode(errors="replace")
            code, message = e.headers.get("x-amzn-ErrorType") or "Unknown", text.strip()[:300]
            try:
                err = json.loads(text)
                code = err.get("__type") or code
                message = err.get("message") or err.get("Message") or message
            except ValueError:
                m = re.search(r"<Code>([^<]+)</Code>.*?<Message>([^<]*)</Message>", text, re.S)
                if m:
                    code, message = m.group(1), m.group(2)
            raise AwsError(operation, e.code, str(code).split(":")[0], message)
        except urllib.error.URLError as e:
            raise AwsError(operation, 0, "RequestError", "send request failed: %s (%s)" % (e.reason, url))


# ---------------------------------------------------------------- commands

def cmd_whoami(args, options, state, control):
    user = require_login(state, control)
    if opt(options, "-j", "--json"):
        out(json.dumps({"user": user, "organizations": [user, "passportxyz"],
                        "url": os.environ.get("PULUMI_BACKEND_URL") or "https://api.pulumi.com"}, indent=4))
    elif opt(options, "-v", "--verbose"):
        out("User: " + user)
        out("Organizations: " + user + ", passportxyz")
        out("Backend URL: " + (os.environ.get("PULUMI_BACKEND_URL") or "https://app.pulumi.com/" + user))
    else:
        out(user)


def cmd_stack(args, options, state, control, cwd):
    if not args or args[0] not in ("select", "output"):
        raise CliError('unknown command "stack %s" in the fake' % " ".join(args))
    require_login(state, control)
    project_dir, project = find_project(cwd)
    if args[0] == "select":
        name = args[1] if len(args) > 1 else opt(options, "-s", "--stack")
        if not name:
            raise CliError("no stack selected; a stack name is required in non-interactive mode")
        full = qualify(name, project, state)
        failure = check_failure(control, "stack select")
        if failure:
            raise CliError(failure[0], failure[1])
        if full not in state["stacks"]:
            if not (opt(options, "-c", "--create")):
                raise CliError("no stack named '%s' found" % full)
            state["stacks"][full] = {"config": {}, "resources": [], "outputs": {}}
            out("Created stack '%s'" % short_name(full))
        state["selected"][project_dir] = full
        return
    full = current_stack(options, project_dir, project, state)
    outputs = state["stacks"][full]["outputs"]
    wanted = args[1] if len(args) > 1 else None
    if wanted:
        if wanted not in outputs:
            raise CliError("current stack does not have output property '%s'" % wanted)
        out(json.dumps(outputs[wanted], indent=2) if opt(options, "-j", "--json") else str(outputs[wanted]))
    elif opt(options, "-j", "--json"):
        out(json.dumps(outputs, indent=2))
    else:
        out("Current stack outputs (%d):" % len(outputs))
        if outputs:
            out("    %-30s %s" % ("OUTPUT", "VALUE"))
            for k in sorted(outputs):
                out("    %-30s %s" % (k, outputs[k]))


def cmd_config(args, options, state, control, cwd):
    require_login(state, control)
    project_dir, project = find_project(cwd)
    full = current_stack(options, project_dir, project, state)
    config = state["stacks"][full]["config"]
    if args[:1] == ["set"] and len(args) == 3:
        key = args[1] if ":" in args[1] else project + ":" + args[1]
        failure = check_failure(control, "config set")
        if failure:
            raise CliError(failure[0], failure[1])
        config[key] = args[2]
        write_stack_file(project_dir, short_name(full), key, args[2])
    elif args[:1] == ["get"] and len(args) == 2:
        key = args[1] if ":" in args[1] else project + ":" + args[1]
        if key not in config:
            raise CliError("configuration key '%s' not found for stack '%s'" % (args[1], short_name(full)))
        out(config[key])
    elif not args and opt(options, "-j", "--json"):
        # the real CLI: {"project:key": {"value": "...", "secret": false}, ...}; secrets need --show-secrets
        show = bool(opt(options, "--show-secrets"))
        out(json.dumps({k: {"value": v, "secret": False} for k, v in sorted(config.items())}, indent=2))
    else:
        raise CliError("accepts 2 arg(s) for get / 3 for set, received %d" % (len(args) - 1))


def write_stack_file(project_dir, stack, key, value):
    """Like the real CLI: config set writes the stack's settings file Pulumi.<stack>.yaml."""
    path = os.path.join(project_dir, "Pulumi.%s.yaml" % stack)
    lines = []
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    entry = "  %s: %s" % (key, value)
    for i, line in enumerate(lines):
        if re.match(r"^\s+%s:" % re.escape(key), line):
            lines[i] = entry
            break
    else:
        if "config:" not in [l.rstrip() for l in lines]:
            lines.append("config:")
        at = [l.rstrip() for l in lines].index("config:") + 1
        lines.insert(at, entry)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(path + ".tmp", path)


def cmd_preview(args, options, state, control, cwd):
    require_login(state, control)
    project_dir, project = find_project(cwd)
    full = current_stack(options, project_dir, project, state)
    stack_state = state["stacks"][full]
    started = time.time()
    as_json = opt(options, "-j", "--json")
    failure = check_failure(control, "preview")
    try:
        if failure:
            raise CliError(failure[0], failure[1])
        steps = plan(full, stack_state, project_dir)
    except CliError as e:
        if as_json:
            if isinstance(e, ProgramError):
                diagnostics = [{"message": part.rstrip("\n") + "\n\n", "severity": "info#err"}
                               for part in str(e).split("\n\n") if part.strip()]
            else:
                diagnostics = [{"urn": urn_of(full, "pulumi:pulumi:Stack", "%s-%s" % (project, short_name(full))),
                                "message": "error: " + str(e) + "\n", "severity": "error"}]
            out(json.dumps({"config": stack_state["config"], "diagnostics": diagnostics,
                            "duration": int((time.time() - started) * 1e9)}, indent=4))
            sys.exit(e.code)
        out("Previewing update (%s)\n" % full)
        out("Diagnostics:\n  pulumi:pulumi:Stack (%s-%s):\n    error: %s\n" % (project, short_name(full), e))
        raise
    counts = summary(steps)
    save_plan = opt(options, "--save-plan")
    if save_plan:
        if os.environ.get("PULUMI_EXPERIMENTAL") != "true":
            raise CliError("unknown flag: --save-plan")
        # the real CLI writes the plan as JSON: the planned resource goals keyed by URN, and the config
        save(os.path.join(cwd, save_plan), {"manifest": {"version": "v3.276.0"}, "config": stack_state["config"],
                                            "resourcePlans": {urn: {"steps": [op]} for op, urn, *_ in steps}})
    if as_json:
        digest = {"config": stack_state["config"], "steps": [], "diagnostics": [], "changeSummary": counts,
                  "duration": int((time.time() - started) * 1e9)}
        for op, urn, type_, old, new, diffs in steps:
            step = {"op": op, "urn": urn}
            if not type_.startswith("pulumi:"):  # the real CLI names no provider for the stack itself
                package = type_.split(":")[0]
                step["provider"] = urn_of(full, "pulumi:providers:" + package, "default") + \
                    "::04da6b54-80e4-46f7-96ec-b56ff0331ba9"
            if old:
                step["oldState"] = old
            if new:
                step["newState"] = new
            replaces = [k for k in diffs if k in REPLACE_KEYS.get(type_, ())]
            if replaces:
                step["replaceReasons"] = replaces
            if diffs:
                step["diffReasons"] = diffs
                step["detailedDiff"] = {k: {"kind": "update-replace" if k in replaces else "update", "inputDiff": True}
                                        for k in diffs}
            else:
                step["detailedDiff"] = None
            digest["steps"].append(step)
        out(json.dumps(digest, indent=4))
        return
    out("Previewing update (%s)\n" % full)
    out("View in Browser (Ctrl+O): https://app.pulumi.com/%s/previews/%s\n" % (full, uuid.uuid4()))
    for line in table(full, steps, False):
        out(line)
    out("")
    for line in resources_block(counts, False):
        out(line)
    out("")


def cmd_up(args, options, state, control, cwd):
    """`up`. With --json, the engine event stream as the real CLI v3.276.0 writes it (transcripts in
    test resources scorerci/pulumi/transcripts/v3.276.0, compared by FakeFollowsRealPulumiTest): a
    preludeEvent; the stack's resourcePreEvent; the language host's debug diagnostics; per resource a
    resourcePreEvent and a resOutputsEvent (a replacement as create-replacement, replace,
    delete-replaced, with metadata.keys); the stack's resOutputsEvent; a summaryEvent with "result";
    and always a closing cancelEvent, after success and failure alike. A failed resource sends its
    own error diagnostic, a resOpFailedEvent, then the generic "update failed"; a program error
    arrives as the host's info#err diagnostics. Every failure exits 1."""
    require_login(state, control)
    project_dir, project = find_project(cwd)
    full = current_stack(options, project_dir, project, state)
    if not (opt(options, "-y", "--yes") or opt(options, "-f", "--skip-preview")):
        raise CliError("--yes or --skip-preview must be passed in to proceed when running in non-interactive mode")
    stack_state = state["stacks"][full]
    plan_file = opt(options, "--plan")
    if plan_file:
        if os.environ.get("PULUMI_EXPERIMENTAL") != "true":
            raise CliError("unknown flag: --plan")
        if not os.path.isfile(os.path.join(cwd, plan_file)):
            raise CliError("error: could not read plan file: open %s: no such file or directory" % plan_file)
    started = time.time()
    as_json = opt(options, "-j", "--json")
    seq = [0]
    stack_urn = urn_of(full, "pulumi:pulumi:Stack", "%s-%s" % (project, short_name(full)))
    stack_op = "same" if any(r["urn"] == stack_urn for r in stack_state["resources"]) else "create"

    def event(kind, body):
        out(json.dumps({"sequence": seq[0], "timestamp": int(time.time()), kind: body}))
        seq[0] += 1

    def metadata(op, urn, type_, old, new, diffs, keys=None):
        meta = {"op": op, "urn": urn, "type": type_, "old": old, "new": new, "detailedDiff": None,
                "logical": True, "provider": ""}
        if keys:
            meta["keys"] = keys
        if diffs:
            meta["diffs"] = diffs
        return meta

    def finish(counts, result, corrupt=False):
        event("summaryEvent", {"maybeCorrupt": corrupt, "durationSeconds": int(time.time() - started),
                               "resourceChanges": counts, "PolicyPacks": {}, "isPreview": False,
                               "result": result})
        event("cancelEvent", {})

    stack_meta = metadata(stack_op, stack_urn, "pulumi:pulumi:Stack", None, None, [])
    if as_json:
        event("preludeEvent", {"config": stack_state["config"]})
        event("resourcePreEvent", {"metadata": stack_meta})
    else:
        out("Updating (%s)\n" % full)
        out("View in Browser (Ctrl+O): https://app.pulumi.com/%s/updates/%d\n" % (full, len(stack_state.get("history", [])) + 1))
    try:
        steps = plan(full, stack_state, project_dir)
    except CliError as e:
        if not as_json:
            raise
        if isinstance(e, ProgramError):
            for part in str(e).split("\n\n"):
                if part.strip():
                    event("diagnosticEvent", {"message": part.rstrip("\n") + "\n\n", "color": "never",
                                              "severity": "info#err"})
        else:
            event("diagnosticEvent", {"urn": stack_urn, "prefix": "error: ", "message": str(e) + "\n",
                                      "color": "never", "severity": "error"})
        event("resOutputsEvent", {"metadata": stack_meta})
        finish({"same": 1} if stack_op == "same" else {}, "failed")
        raise SystemExit(e.code)
    for type_, name in [(s[2], s[1].split("::")[-1]) for s in steps if s[2] != "pulumi:pulumi:Stack"]:
        if as_json:
            event("diagnosticEvent", {"prefix": "debug: ", "message": "Registering resource [%s]\n" % name,
                                      "color": "never", "severity": "debug"})
    failure = check_failure(control, "up")
    region = stack_state["config"].get("aws:region")
    provider = aws_provider(region, project_dir) if region else None
    done = []
    for op, urn, type_, old, new, diffs in steps:
        if type_ == "pulumi:pulumi:Stack":
            done.append((op, urn, type_, old, new, diffs))
            continue
        keys = [k for k in diffs if k in REPLACE_KEYS.get(type_, ())] if op == "replace" else None
        # a scripted failure hits the function; an AWS error the step whose call failed; failWith the test function
        error = failure if failure and type_ == "aws:lambda/function:Function" else None
        if type_ == "scorertest:index:Function" and new and new["inputs"].get("failWith") and op != "same":
            error = ("%s function %s: %s" % ("creating" if op in ("create", "replace") else "updating",
                                             new["inputs"]["name"], new["inputs"]["failWith"]), 1)
        if provider and not error:
            try:
                provider.apply(op, type_, new, diffs, stack_state)
            except AwsError as e:
                error = (str(e), 1)
        first_op = "create-replacement" if op == "replace" else op
        meta = metadata(first_op, urn, type_, old, new, diffs, keys)
        if error:
            if as_json:
                event("resourcePreEvent", {"metadata": meta})
                event("diagnosticEvent", {"urn": urn, "prefix": "error: ", "message": error[0] + "\n",
                                          "color": "never", "severity": "error"})
                event("resOpFailedEvent", {"metadata": meta, "status": 2, "steps": 1})
                event("diagnosticEvent", {"prefix": "error: ", "message": "update failed\n", "color": "never",
                                          "severity": "error"})
                counts = summary([d for d in done if d[0] == "same"])
                finish(counts, "failed", corrupt=True)
            else:
                out(" ~   %s %s updating (0s) error: %s" % (type_, urn.split("::")[-1], error[0]))
                out("\nDiagnostics:\n  %s (%s):\n    error: %s\n" % (type_, urn.split("::")[-1], error[0]))
                out("Resources:\n    %d unchanged\n" % len(done))
                out("Duration: %ds" % int(time.time() - started))
            apply(stack_state, done, False)
            raise SystemExit(error[1])
        if as_json:
            if op == "replace":
                for part_op, part_keys in (("create-replacement", keys), ("replace", keys)):
                    part = metadata(part_op, urn, type_, old, new, diffs, part_keys)
                    event("resourcePreEvent", {"metadata": part})
                    event("resOutputsEvent", {"metadata": part})
            else:
                event("resourcePreEvent", {"metadata": meta})
                event("resOutputsEvent", {"metadata": meta})
        done.append((op, urn, type_, old, new, diffs))
    if as_json:
        for op, urn, type_, old, new, diffs in done:
            if op == "replace":  # the old resource goes last, after everything else was created
                part = metadata("delete-replaced", urn, type_, old, new, [])
                event("resourcePreEvent", {"metadata": part})
                event("resOutputsEvent", {"metadata": part})
    apply(stack_state, done, True)
    if provider and provider.version is not None:
        stack_state["fn_version"] = int(provider.version)  # what Lambda published, not the fake's count
    stack_state["outputs"] = outputs_of(full, stack_state["config"], steps, [stack_state.get("fn_version", 0)])
    if provider and provider.function_arn:
        stack_state["outputs"].update({"rustScorerFunctionArn": provider.function_arn,
                                       "rustScorerAliasArn": provider.function_arn + ":live"})
    counts = summary(steps)
    if as_json:
        event("resOutputsEvent", {"metadata": stack_meta})
        finish(counts, "succeeded")
        return
    for line in table(full, steps, True):
        out(line)
    out("\nOutputs:")
    for k in sorted(stack_state["outputs"]):
        out('    %s: "%s"' % (k, stack_state["outputs"][k]))
    out("")
    for line in resources_block(counts, True):
        out(line)
    out("\nDuration: %ds" % int(time.time() - started))


def apply(stack_state, done, succeeded):
    resources = {r["urn"]: r for r in stack_state["resources"]}
    for op, urn, type_, old, new, diffs in done:
        if type_ == "scorertest:index:Function" and op != "same":
            stack_state["fn_version"] = stack_state.get("fn_version", 0) + 1
        if type_ == "aws:lambda/function:Function" and (op == "create" or "code" in diffs):
            stack_state["fn_version"] = stack_state.get("fn_version", 0) + 1  # publish: true
        if op == "delete":
            resources.pop(urn, None)
        else:
            resources[urn] = new
    stack_state["resources"] = list(resources.values())
    stack_state.setdefault("history", []).append({"result": "succeeded" if succeeded else "failed"})


# ---------------------------------------------------------------- main

def main(argv):
    # the launcher notes when the child process began, so python's own start-up counts as pulumi time
    launched = os.environ.get("FAKE_PULUMI_STARTED_NS", "")
    started = int(launched) / 1e9 if launched.isdigit() else time.time()
    state = load(STATE, {})
    state.setdefault("stacks", {})
    state.setdefault("selected", {})
    state.setdefault("user", None)
    control = load(CONTROL, {})
    cwd = os.getcwd()
    code = 0
    try:
        positionals, options = parse(argv)
        if opt(options, "-C", "--cwd"):
            cwd = os.path.abspath(os.path.join(cwd, opt(options, "-C", "--cwd")))
        command, rest = (positionals[0], positionals[1:]) if positionals else ("", [])
        if command == "version":
            out("v3.248.0")
        elif command == "whoami":
            cmd_whoami(rest, options, state, control)
        elif command == "stack":
            cmd_stack(rest, options, state, control, cwd)
        elif command == "config":
            cmd_config(rest, options, state, control, cwd)
        elif command == "preview":
            cmd_preview(rest, options, state, control, cwd)
        elif command in ("up", "update"):
            cmd_up(rest, options, state, control, cwd)
        else:
            raise CliError('unknown command "%s" for "pulumi"' % command)
    except CliError as e:
        out("error: " + str(e))
        code = e.code
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    finally:
        save(STATE, state)
        entry = {"args": argv, "cwd": cwd, "exit": code,
                 "env": {k: os.environ[k] for k in RECORDED_ENV if k in os.environ},
                 "secrets": {k: "[set]" for k in SECRET_ENV if os.environ.get(k)},
                 "startedMs": int(started * 1000), "durationMs": round((time.time() - started) * 1000, 3)}
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
