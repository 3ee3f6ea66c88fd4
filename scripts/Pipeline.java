///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DESCRIPTION Build, ship and deploy the rust scorer Lambda: every pipeline command behind one entry point.
//DEPS info.picocli:picocli:4.7.7
//DEPS org.apache.commons:commons-compress:1.28.0
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.3
//DEPS com.fasterxml.jackson.dataformat:jackson-dataformat-toml:2.21.3
//DEPS org.snakeyaml:snakeyaml-engine:2.9
//DEPS io.github.java-diff-utils:java-diff-utils:4.16
//DEPS org.kohsuke:github-api:1.330
//DEPS software.amazon.awssdk:bom:2.57.8@pom
//DEPS software.amazon.awssdk:lambda:2.57.8
//DEPS software.amazon.awssdk:url-connection-client:2.57.8
//DEPS org.slf4j:slf4j-nop:1.7.36
//SOURCES src/main/java/scorerci/**/*.java
// string concatenation as StringBuilder calls, not invokedynamic: each new concatenation shape
// otherwise spins method-handle classes at first use (~1 ms each, a dozen per short command)
//JAVAC_OPTIONS -XDstringConcat=inline

/*
 * The one JBang entry point. Every alias in ../jbang-catalog.json points here and
 * names its subcommand in "arguments", so all commands share one dependency list,
 * one compiled cache and one exit-code table (scorerci.core.ExitCode).
 *
 * Reads:  the command line and the environment (GITHUB_*, ACTIONS_*, AWS_*, PULUMI_*).
 * Writes: whatever the chosen subcommand writes (see its class comment).
 * Prints: the subcommand's report on stdout, one-line errors on stderr.
 * Exits:  the code of scorerci.core.ExitCode (README, "Exit codes").
 *
 * Dependency versions above must equal pom.xml's (DependencyVersionsTest).
 */
public class Pipeline {
    public static void main(String[] args) {
        System.exit(scorerci.cli.Main.run(args));
    }
}
