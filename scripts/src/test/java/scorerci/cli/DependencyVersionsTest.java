package scorerci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Versions and compiler options are written twice, in scripts/Pipeline.java (//DEPS and
 * //JAVAC_OPTIONS, what JBang runs) and in pom.xml (what the tests compile against). This test
 * keeps the two copies equal.
 */
class DependencyVersionsTest {
    private static final Pattern DEPS =
            Pattern.compile("(?m)^//DEPS\\s+([^:\\s]+):([^:\\s]+):([^@\\s]+)(@pom)?\\s*$");
    private static final Pattern POM_DEP =
            Pattern.compile(
                    "<dependency>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>"
                            + "(?:\\s*<type>pom</type>)?(?:\\s*<scope>(\\w+)</scope>)?");

    @Test
    void jbangDepsEqualThePomsRuntimeDependencies() throws Exception {
        Map<String, String> jbang = new TreeMap<>();
        Matcher m = DEPS.matcher(Files.readString(Path.of("scripts/Pipeline.java")));
        while (m.find()) jbang.put(m.group(1) + ":" + m.group(2), m.group(3));

        Map<String, String> pom = new TreeMap<>();
        Matcher p = POM_DEP.matcher(Files.readString(Path.of("pom.xml")));
        while (p.find()) {
            String scope = p.group(4);
            if ("test".equals(scope)) continue;
            pom.put(p.group(1) + ":" + p.group(2), p.group(3));
        }
        // the JUnit BOM is test-only and not a //DEPS line
        pom.remove("org.junit:junit-bom");

        assertThat(jbang).as("//DEPS in scripts/Pipeline.java").isNotEmpty();
        assertThat(jbang).as("//DEPS in scripts/Pipeline.java vs pom.xml").isEqualTo(pom);
    }

    @Test
    void jbangJavacOptionsEqualThePomsCompilerArgs() throws Exception {
        List<String> jbang = new ArrayList<>();
        Matcher m =
                Pattern.compile("(?m)^//JAVAC_OPTIONS\\s+(.+)$")
                        .matcher(Files.readString(Path.of("scripts/Pipeline.java")));
        while (m.find()) jbang.addAll(List.of(m.group(1).trim().split("\\s+")));

        String compiler =
                Files.readString(Path.of("pom.xml"))
                        .split("<artifactId>maven-compiler-plugin</artifactId>", 2)[1]
                        .split("</plugin>", 2)[0];
        List<String> pom = new ArrayList<>();
        Matcher a = Pattern.compile("<arg>([^<]+)</arg>").matcher(compiler);
        while (a.find()) pom.add(a.group(1).trim());

        assertThat(jbang).as("//JAVAC_OPTIONS in scripts/Pipeline.java").isNotEmpty();
        assertThat(jbang).as("//JAVAC_OPTIONS vs pom.xml's compilerArgs").isEqualTo(pom);
    }
}
