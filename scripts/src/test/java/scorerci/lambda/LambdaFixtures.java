package scorerci.lambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import scorerci.testing.MotoServer;
import scorerci.zip.VerifiedZip;
import scorerci.zip.ZipRules;
import scorerci.zip.ZipVerifier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Real inputs for the Lambda tests: an aarch64 ELF compiled with aarch64-linux-gnu-gcc, zipped like
 * build-zip does (bootstrap 0755, collector.yaml 0644), and functions created in moto from those
 * zip bytes with the real settings of the stack (provided.al2023, bootstrap, arm64, the ADOT
 * collector layer).
 */
final class LambdaFixtures {
    static final String LAYER_NAME = DeploymentVerifier.OTEL_LAYER_NAME;

    /**
     * The ARN as the stack attaches it; moto resolves layers by name, so the publisher account may
     * differ.
     */
    static final String LAYER_ARN =
            "arn:aws:lambda:us-west-2:901920570463:layer:" + LAYER_NAME + ":1";

    private final MotoServer moto;
    private final LambdaClient lambda;
    private final IamClient iam;
    private String roleArn;

    LambdaFixtures(MotoServer moto) {
        this.moto = moto;
        this.lambda = LambdaClients.create(moto.settings());
        this.iam =
                IamClient.builder()
                        .region(software.amazon.awssdk.regions.Region.AWS_GLOBAL)
                        .endpointOverride(moto.endpoint())
                        .credentialsProvider(moto.settings().credentials())
                        .httpClientBuilder(
                                software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient
                                        .builder())
                        .build();
    }

    LambdaClient lambda() {
        return lambda;
    }

    /** The role and the OTEL layer that every function needs; moto checks both exist. */
    LambdaFixtures prepareAccount(Path dir) throws Exception {
        roleArn =
                iam.createRole(
                                b ->
                                        b.roleName("passport-v2-rust-scorer-role")
                                                .assumeRolePolicyDocument(
                                                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                                                + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"))
                        .role()
                        .arn();
        Path layerZip = dir.resolve("layer.zip");
        writeZip(
                layerZip,
                List.of(new Entry("extensions/collector", "#!/bin/sh\n".getBytes(), 0100755)));
        lambda.publishLayerVersion(
                b ->
                        b.layerName(LAYER_NAME)
                                .content(c -> c.zipFile(SdkBytes.fromByteArray(read(layerZip))))
                                .compatibleArchitectures(Architecture.ARM64));
        moto.useSimpleLambda();
        return this;
    }

    /** Creates a function from the zip with the stack's settings, publishing version 1. */
    void createFunction(
            String name, VerifiedZip zip, Architecture architecture, List<String> layers) {
        lambda.createFunction(
                b ->
                        b.functionName(name)
                                .role(roleArn)
                                .runtime(Runtime.PROVIDED_AL2023)
                                .handler("bootstrap")
                                .architectures(architecture)
                                .layers(layers)
                                .memorySize(256)
                                .timeout(30)
                                .publish(true)
                                .code(c -> c.zipFile(SdkBytes.fromByteArray(read(zip.path())))));
    }

    void createFunction(String name, VerifiedZip zip) {
        createFunction(name, zip, Architecture.ARM64, List.of(LAYER_ARN));
    }

    /**
     * What `pulumi up` does on a code change: new code in $LATEST (published by the stack as a new
     * version).
     */
    void updateCode(String name, VerifiedZip zip, boolean publish) {
        lambda.updateFunctionCode(
                b ->
                        b.functionName(name)
                                .publish(publish)
                                .zipFile(SdkBytes.fromByteArray(read(zip.path()))));
    }

    void createAlias(String function, String alias, String version) {
        lambda.createAlias(b -> b.functionName(function).name(alias).functionVersion(version));
    }

    /** A real aarch64 executable (glibc-linked, like the scorer), compiled once per directory. */
    static Path arm64Bootstrap(Path dir) throws Exception {
        Path binary = dir.resolve("bootstrap");
        if (Files.exists(binary)) return binary;
        Path source = dir.resolve("bootstrap.c");
        Files.writeString(
                source,
                "#include <stdio.h>\nint main(void) { puts(\"scorer smoke stand-in\"); return 0; }\n");
        Process gcc =
                new ProcessBuilder(
                                "aarch64-linux-gnu-gcc",
                                "-O2",
                                "-o",
                                binary.toString(),
                                source.toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(gcc.getInputStream().readAllBytes());
        if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IllegalStateException(
                    "aarch64-linux-gnu-gcc failed (apt-get install gcc-aarch64-linux-gnu): "
                            + output);
        }
        return binary;
    }

    /**
     * A verified zip: bootstrap plus a collector.yaml whose text makes each zip's hash distinct.
     */
    static VerifiedZip scorerZip(Path dir, String name, String collectorComment) throws Exception {
        Path zip = dir.resolve(name);
        String collector =
                "# "
                        + collectorComment
                        + "\nreceivers:\n  otlp:\n    protocols:\n      http:\n"
                        + "        endpoint: 0.0.0.0:4318\nexporters:\n  awsxray: {}\nservice:\n  pipelines:\n    traces:\n"
                        + "      receivers: [otlp]\n      exporters: [awsxray]\n";
        writeZip(
                zip,
                List.of(
                        new Entry("bootstrap", Files.readAllBytes(arm64Bootstrap(dir)), 0100755),
                        new Entry(
                                "collector.yaml",
                                collector.getBytes(StandardCharsets.UTF_8),
                                0100644)));
        return ZipVerifier.verify(zip, ZipRules.defaults());
    }

    record Entry(String name, byte[] bytes, int mode) {}

    static void writeZip(Path zip, List<Entry> entries) throws IOException {
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            for (Entry e : entries) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.name());
                entry.setUnixMode(e.mode());
                entry.setTime(315_532_800_000L + 86_400_000L);
                out.putArchiveEntry(entry);
                out.write(e.bytes());
                out.closeArchiveEntry();
            }
        }
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void close() {
        lambda.close();
        iam.close();
    }
}
