package scorerci.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import scorerci.stack.DeployedFunction;

/**
 * The parsers against output written the way the real CLI writes it (4-space indented preview
 * digest with nanosecond duration; one compact engine event per line), independent of the fake.
 */
class PulumiOutputTest {
    static final String DIGEST =
            """
            warning: A new version of Pulumi is available. To upgrade from version '3.140.0' to '3.248.0', run
            {
                "config": {
                    "aws:region": "us-west-2"
                },
                "steps": [
                    {
                        "op": "same",
                        "urn": "urn:pulumi:staging::passport-scorer::pulumi:pulumi:Stack::passport-scorer-staging",
                        "provider": "",
                        "oldState": {"urn": "urn:pulumi:staging::passport-scorer::pulumi:pulumi:Stack::passport-scorer-staging", "custom": false, "type": "pulumi:pulumi:Stack"},
                        "newState": {"urn": "urn:pulumi:staging::passport-scorer::pulumi:pulumi:Stack::passport-scorer-staging", "custom": false, "type": "pulumi:pulumi:Stack"},
                        "detailedDiff": null
                    },
                    {
                        "op": "update",
                        "urn": "urn:pulumi:staging::passport-scorer::pulumi:pulumi:Stack$aws:lambda/function:Function::passport-v2-rust-scorer",
                        "provider": "urn:pulumi:staging::passport-scorer::pulumi:providers:aws::default_7_48_0::0a1b",
                        "oldState": {"type": "aws:lambda/function:Function"},
                        "newState": {"type": "aws:lambda/function:Function"},
                        "diffReasons": ["code", "sourceCodeHash"],
                        "detailedDiff": {"code": {"kind": "update", "inputDiff": true}, "sourceCodeHash": {"kind": "update", "inputDiff": true}}
                    },
                    {
                        "op": "replace",
                        "urn": "urn:pulumi:staging::passport-scorer::pulumi:pulumi:Stack$aws:lb/targetGroup:TargetGroup::l-passport-v2-rust-scorer",
                        "provider": "",
                        "replaceReasons": ["name"],
                        "detailedDiff": {"name": {"kind": "update-replace", "inputDiff": true}}
                    },
                    {
                        "op": "create",
                        "urn": "urn:pulumi:staging::passport-scorer::pulumi:pulumi:Stack$aws:cloudwatch/metricAlarm:MetricAlarm::passport-v2-rust-scorer-latency",
                        "provider": "",
                        "newState": {"type": "aws:cloudwatch/metricAlarm:MetricAlarm"},
                        "detailedDiff": null
                    }
                ],
                "diagnostics": [
                    {"urn": "urn:pulumi:staging::passport-scorer::pulumi:pulumi:Stack::passport-scorer-staging", "prefix": "warning: ", "message": "rust scorer routing percent is 0\\n", "severity": "warning"}
                ],
                "duration": 4506000000,
                "changeSummary": {
                    "create": 1,
                    "replace": 1,
                    "same": 1,
                    "update": 1
                }
            }
            """;

    @Test
    void previewDigestWithAWarningLineBeforeIt() {
        PreviewDigest digest = PreviewDigest.parse(DIGEST);
        assertThat(digest).isNotNull();
        assertThat(digest.otherLines())
                .containsExactly(
                        "warning: A new version of Pulumi is available. To upgrade from version '3.140.0' to '3.248.0', run");
        assertThat(digest.summary().describe(false))
                .isEqualTo("1 to create, 1 to update, 0 to delete, 1 to replace, 1 unchanged");
        assertThat(digest.summary().changes()).isEqualTo(3);
        assertThat(digest.changes())
                .extracting(ResourceChange::line)
                .containsExactly(
                        "  ~  update   aws:lambda/function:Function  passport-v2-rust-scorer  (code, sourceCodeHash)",
                        "  +- replace  aws:lb/targetGroup:TargetGroup  l-passport-v2-rust-scorer  (name)",
                        "  +  create   aws:cloudwatch/metricAlarm:MetricAlarm  passport-v2-rust-scorer-latency");
        assertThat(digest.warnings()).containsExactly("rust scorer routing percent is 0");
        assertThat(digest.errors()).isEmpty();
        assertThat(digest.durationSeconds()).isEqualTo(4.506);
    }

    @Test
    void previewDigestWithAnErrorAndNoSteps() {
        PreviewDigest digest =
                PreviewDigest.parse(
                        """
                {
                    "config": {},
                    "diagnostics": [
                        {"prefix": "error: ", "message": "Missing required configuration variable 'aws:region'\\n", "severity": "error"}
                    ],
                    "duration": 120000000
                }
                """);
        assertThat(digest.errors())
                .containsExactly("Missing required configuration variable 'aws:region'");
        assertThat(digest.summary().changes()).isZero();
        assertThat(digest.steps()).isEmpty();
    }

    @Test
    void outputWithoutJsonIsNotADigest() {
        assertThat(PreviewDigest.parse("error: no Pulumi.yaml project file found\n")).isNull();
        assertThat(PreviewDigest.parse("{ not json\n")).isNull();
    }

    @Test
    void otherOpsAreCountedAndShown() {
        ChangeSummary s =
                new ChangeSummary(
                        java.util.Map.of(
                                "same",
                                3,
                                "read",
                                1,
                                "create-replacement",
                                1,
                                "delete-replaced",
                                1));
        assertThat(s.changes()).isEqualTo(2);
        assertThat(s.describe(true))
                .startsWith("0 created, 0 updated, 0 deleted, 0 replaced, 3 unchanged, ")
                .contains("1 create-replacement")
                .contains("1 delete-replaced")
                .contains("1 read");
    }

    @Test
    void engineEventsBecomeReadableLinesAndASummary() {
        String urn =
                "urn:pulumi:staging::passport-scorer::pulumi:pulumi:Stack$aws:lambda/function:Function::passport-v2-rust-scorer";
        List<String> lines =
                List.of(
                        "{\"sequence\":0,\"timestamp\":1732945000,\"preludeEvent\":{\"config\":{\"aws:region\":\"us-west-2\"}}}",
                        "{\"sequence\":1,\"timestamp\":1732945001,\"resourcePreEvent\":{\"metadata\":{\"op\":\"same\",\"urn\":\"urn:pulumi:staging::passport-scorer::pulumi:pulumi:Stack::passport-scorer-staging\",\"type\":\"pulumi:pulumi:Stack\",\"provider\":\"\"}}}",
                        "{\"sequence\":2,\"timestamp\":1732945001,\"resourcePreEvent\":{\"metadata\":{\"op\":\"update\",\"urn\":\""
                                + urn
                                + "\",\"type\":\"aws:lambda/function:Function\",\"diffs\":[\"code\"],\"provider\":\"\"}}}",
                        "{\"sequence\":3,\"timestamp\":1732945002,\"diagnosticEvent\":{\"urn\":\""
                                + urn
                                + "\",\"prefix\":\"warning: \",\"message\":\"layer version is old\\n\",\"color\":\"raw\",\"severity\":\"warning\"}}",
                        "{\"sequence\":4,\"timestamp\":1732945009,\"resOutputsEvent\":{\"metadata\":{\"op\":\"update\",\"urn\":\""
                                + urn
                                + "\",\"type\":\"aws:lambda/function:Function\",\"diffs\":[\"code\"],\"provider\":\"\"}}}",
                        "{\"sequence\":5,\"timestamp\":1732945009,\"stdoutEvent\":{\"message\":\"Outputs:\\n\",\"color\":\"raw\"}}",
                        "plain stderr line",
                        "{\"sequence\":6,\"timestamp\":1732945010,\"summaryEvent\":{\"maybeCorrupt\":false,\"durationSeconds\":9,"
                                + "\"resourceChanges\":{\"same\":11,\"update\":1},\"PolicyPacks\":{}}}");
        UpdateEvents events = new UpdateEvents();
        List<String> shown = new ArrayList<>();
        lines.forEach(
                l -> {
                    String r = events.accept(l);
                    if (r != null) shown.add(r);
                });

        assertThat(shown)
                .containsExactly(
                        "  ~ updating aws:lambda/function:Function passport-v2-rust-scorer (code)",
                        "warning: aws:lambda/function:Function passport-v2-rust-scorer: layer version is old",
                        "  ~ updated aws:lambda/function:Function passport-v2-rust-scorer",
                        "Outputs:",
                        "plain stderr line",
                        "Resources: 0 created, 1 updated, 0 deleted, 0 replaced, 11 unchanged (9 s)");
        assertThat(events.summary().updates()).isEqualTo(1);
        assertThat(events.durationSeconds()).isEqualTo(9);
        assertThat(events.applied())
                .extracting(ResourceChange::name)
                .containsExactly("passport-v2-rust-scorer");
        assertThat(events.errors()).isEmpty();
    }

    @Test
    void aFailedUpdateKeepsTheErrorAndTheFailedResource() {
        String urn =
                "urn:pulumi:production::passport-scorer::pulumi:pulumi:Stack$aws:lambda/function:Function::passport-v2-rust-scorer";
        UpdateEvents events = new UpdateEvents();
        events.accept(
                "{\"sequence\":1,\"diagnosticEvent\":{\"urn\":\""
                        + urn
                        + "\",\"prefix\":\"error: \",\"message\":"
                        + "\"updating Lambda Function (passport-v2-rust-scorer) code: operation error Lambda: UpdateFunctionCode, "
                        + "StatusCode: 400, InvalidParameterValueException: Unzipped size must be smaller than 262144000 bytes\\n\","
                        + "\"color\":\"raw\",\"severity\":\"error\"}}");
        String failed =
                events.accept(
                        "{\"sequence\":2,\"resOpFailedEvent\":{\"metadata\":{\"op\":\"update\",\"urn\":\""
                                + urn
                                + "\",\"type\":\"aws:lambda/function:Function\"},\"status\":1,\"steps\":1}}");
        assertThat(failed)
                .isEqualTo(
                        "  ✗ update failed: aws:lambda/function:Function passport-v2-rust-scorer");
        assertThat(events.errors())
                .singleElement()
                .asString()
                .contains("InvalidParameterValueException");
        assertThat(events.sawSummary()).isFalse();
        assertThat(events.summary().changes()).isZero();
    }

    @Test
    void stackOutputs() {
        DeployedFunction f =
                StackOutputs.parse(
                        """
                {
                  "rustScorerAliasArn": "arn:aws:lambda:us-west-2:123456789012:function:passport-v2-rust-scorer:live",
                  "rustScorerAliasName": "live",
                  "rustScorerCodeSha256": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
                  "rustScorerFunctionArn": "arn:aws:lambda:us-west-2:123456789012:function:passport-v2-rust-scorer",
                  "rustScorerFunctionName": "passport-v2-rust-scorer",
                  "rustScorerPublishedVersion": "7"
                }
                """,
                        "s");
        assertThat(f.functionName()).isEqualTo("passport-v2-rust-scorer");
        assertThat(f.qualifier()).isEqualTo("7");
        assertThat(f.aliasName()).isEqualTo("live");
        assertThat(f.codeSha256()).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        try {
            StackOutputs.parse("{}", "passportxyz/passport-scorer/review");
            org.junit.jupiter.api.Assertions.fail("no function name must fail");
        } catch (scorerci.core.PipelineException e) {
            assertThat(e.exitCode()).isEqualTo(scorerci.core.ExitCode.NOT_FOUND);
            assertThat(e.getMessage()).contains("has no output rustScorerFunctionName");
        }
    }

    @Test
    void pulumiErrorReasonIsItsLastErrorLine() {
        assertThat(PulumiCli.reason("Previewing update\n\nerror: no stack named 'x' found\n"))
                .isEqualTo("no stack named 'x' found");
        assertThat(PulumiCli.reason("something odd\n")).isEqualTo("something odd");
        assertThat(PulumiCli.reason("")).isEqualTo("it printed nothing");
    }
}
