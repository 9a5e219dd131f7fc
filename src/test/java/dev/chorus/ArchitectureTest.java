package dev.chorus;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages' dependencies point one way (README, "How it works"):
 * {@code web} → services ({@code coordinator}, {@code server}, {@code worker}, {@code study}, {@code spec},
 * {@code schedule}, {@code access}, {@code report}) →
 * {@code search} / {@code dispatch} → {@code trial} → {@code mtl}, with {@code config} and {@code error}
 * beside every layer. Each domain package owns its store contract ({@code study.StudyStore},
 * {@code trial.TrialStore}, ...); {@code store} holds only the JDBC adapters, which CDI wires in, so
 * nothing imports it. Main code only: tests may reach anywhere.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.chorus");

    /** No cycle between top-level packages (a package and its subpackages count as one). */
    @Test
    void noCycleBetweenPackages() {
        slices().matching("dev.chorus.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theLayersDependDownwardOnly() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("web").definedBy("dev.chorus.web..")
                .layer("services").definedBy("dev.chorus.study..", "dev.chorus.spec..", "dev.chorus.coordinator..",
                        "dev.chorus.server..", "dev.chorus.worker..", "dev.chorus.schedule..", "dev.chorus.access..",
                        "dev.chorus.report..")
                .layer("engine").definedBy("dev.chorus.search..", "dev.chorus.dispatch..")
                .layer("trial").definedBy("dev.chorus.trial..")
                .layer("model").definedBy("dev.chorus.mtl..")
                .layer("adapters").definedBy("dev.chorus.store..")
                .whereLayer("web").mayNotBeAccessedByAnyLayer()
                .whereLayer("adapters").mayNotBeAccessedByAnyLayer()
                .whereLayer("services").mayOnlyBeAccessedByLayers("web", "adapters")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("services", "web", "adapters")
                .whereLayer("trial").mayOnlyBeAccessedByLayers("engine", "services", "web", "adapters")
                .check(MAIN);
    }

    @Test
    void nothingImportsTheJdbcAdaptersOrTheWebLayer() {
        noClasses().that().resideOutsideOfPackage("dev.chorus.store..").should().dependOnClassesThat()
                .resideInAPackage("dev.chorus.store..").check(MAIN);
        noClasses().that().resideOutsideOfPackage("dev.chorus.web..").should().dependOnClassesThat()
                .resideInAPackage("dev.chorus.web..").check(MAIN);
    }

    /** Resources talk to services: no resource holds a store (a store's nested query records may cross). */
    @Test
    void resourcesTalkToServicesNotStores() {
        noClasses().that().resideInAPackage("dev.chorus.web..").should().dependOnClassesThat()
                .haveSimpleNameEndingWith("Store").check(MAIN);
    }

    @Test
    void theModelKnowsNothingAboveIt() {
        noClasses().that().resideInAPackage("dev.chorus.mtl..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.chorus.trial..", "dev.chorus.search..", "dev.chorus.dispatch..",
                        "dev.chorus.study..", "dev.chorus.spec..", "dev.chorus.coordinator..", "dev.chorus.server..",
                        "dev.chorus.worker..", "dev.chorus.schedule..", "dev.chorus.access..", "dev.chorus.report..",
                        "dev.chorus.store..", "dev.chorus.web..")
                .check(MAIN);
    }

    @Test
    void sharedPackagesDependOnNoLayer() {
        noClasses().that().resideInAnyPackage("dev.chorus.config..", "dev.chorus.error..").should()
                .dependOnClassesThat().resideInAnyPackage("dev.chorus.web..", "dev.chorus.study..", "dev.chorus.spec..",
                        "dev.chorus.coordinator..", "dev.chorus.server..", "dev.chorus.worker..", "dev.chorus.schedule..", "dev.chorus.access..", "dev.chorus.report..", "dev.chorus.search..",
                        "dev.chorus.dispatch..", "dev.chorus.trial..", "dev.chorus.mtl..", "dev.chorus.store..")
                .check(MAIN);
    }
}
