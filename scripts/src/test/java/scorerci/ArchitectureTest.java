package scorerci;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the README's "Layout" table, enforced on the compiled main classes: cli →
 * commands → pipeline (the composition of stages that ci runs) → flows → adapters → core, each
 * layer using only the ones below it (flows may use other flows, adapters other adapters), core
 * using nothing of ours, and no package cycles. Plain Jupiter tests over ArchUnit's rules, so that
 * Surefire's -Dtest filter and reports see each rule.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("scorerci");
    }

    private static final String[] FLOWS = {
        "scorerci.artifacts",
        "scorerci.packaging..",
        "scorerci.workflows..",
        "scorerci.pulumi..",
        "scorerci.lambda.."
    };
    private static final String[] ADAPTERS = {
        "scorerci.artifacts.store..",
        "scorerci.artifacts.results..",
        "scorerci.artifacts.rest..",
        "scorerci.net..",
        "scorerci.zip..",
        "scorerci.elf..",
        "scorerci.files..",
        "scorerci.process..",
        "scorerci.stack..",
        "scorerci.provenance.."
    };

    @Test
    void layers() {
        ArchRule rule =
                layeredArchitecture()
                        .consideringOnlyDependenciesInLayers()
                        .layer("Cli")
                        .definedBy("scorerci.cli..")
                        .layer("Commands")
                        .definedBy("scorerci.commands..")
                        .layer("Pipeline")
                        .definedBy("scorerci.pipeline..")
                        .layer("Flows")
                        .definedBy(FLOWS)
                        .layer("Adapters")
                        .definedBy(ADAPTERS)
                        .layer("Core")
                        .definedBy("scorerci.core..")
                        .whereLayer("Cli")
                        .mayNotBeAccessedByAnyLayer()
                        .whereLayer("Commands")
                        .mayOnlyBeAccessedByLayers("Cli")
                        .whereLayer("Pipeline")
                        .mayOnlyBeAccessedByLayers("Cli", "Commands")
                        .whereLayer("Flows")
                        .mayOnlyBeAccessedByLayers("Cli", "Commands", "Pipeline")
                        .whereLayer("Adapters")
                        .mayOnlyBeAccessedByLayers("Cli", "Commands", "Pipeline", "Flows")
                        .whereLayer("Core")
                        .mayOnlyBeAccessedByLayers(
                                "Cli", "Commands", "Pipeline", "Flows", "Adapters");
        rule.check(classes);
    }

    @Test
    void coreImportsNothingOfOurs() {
        ArchRule rule =
                noClasses()
                        .that()
                        .resideInAPackage("scorerci.core..")
                        .should()
                        .dependOnClassesThat(
                                JavaClass.Predicates.resideInAPackage("scorerci..")
                                        .and(
                                                JavaClass.Predicates.resideOutsideOfPackage(
                                                        "scorerci.core..")));
        rule.check(classes);
    }

    /**
     * A new package must be placed in a layer here (and in the README's table), or the layering
     * ignores it.
     */
    @Test
    void everyPackageHasALayer() {
        List<String> layered =
                new ArrayList<>(
                        List.of(
                                "scorerci.cli..",
                                "scorerci.commands..",
                                "scorerci.pipeline..",
                                "scorerci.core.."));
        layered.addAll(List.of(FLOWS));
        layered.addAll(List.of(ADAPTERS));
        ArchRule rule = classes().should().resideInAnyPackage(layered.toArray(String[]::new));
        rule.check(classes);
    }

    @Test
    void onlyCliUsesCommandsAndCli() {
        ArchRule rule =
                noClasses()
                        .that()
                        .resideOutsideOfPackages("scorerci.cli..", "scorerci.commands..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage("scorerci.cli..", "scorerci.commands..");
        rule.check(classes);
    }

    /** Every package, sub-packages separately (artifacts and artifacts.store are two slices). */
    @Test
    void noPackageCycles() {
        ArchRule rule = slices().matching("scorerci.(**)").should().beFreeOfCycles();
        rule.check(classes);
    }

    @Test
    void noCyclesBetweenTopLevelPackages() {
        ArchRule rule = slices().matching("scorerci.(*)..").should().beFreeOfCycles();
        rule.check(classes);
    }
}
