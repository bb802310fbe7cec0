package dev.wsl.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked on every build: no package cycle anywhere under {@code dev.wsl};
 * the domain free of SDK, Lambda and HTTP types (its refusals are {@code core.failure} types that
 * {@code HttpApiHandler} maps); failures and ports free of the SDK; the services on the ports, never
 * on a DynamoDB store. The rules are also run on deliberately broken fixtures, so that a rule that
 * silently matches nothing fails here.
 */
class ArchitectureTest {
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.wsl");

    static ArchRule noCycles() {
        return slices().matching("dev.wsl.(**)").should().beFreeOfCycles();
    }

    /** The domain may use the JDK, itself and the failure types; nothing of the SDK, Lambda, HTTP or storage. */
    static ArchRule domainIsPure(String domainPackage) {
        return classes().that().resideInAPackage(domainPackage + "..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", domainPackage + "..",
                        "dev.wsl.core.failure..")
                .because("domain rules must run without AWS, Lambda or HTTP (unit-testable, SnapStart-cheap)");
    }

    static ArchRule domainHasNoSdkOrLambdaTypes(String domainPackage) {
        return noClasses().that().resideInAPackage(domainPackage + "..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..",
                        "com.amazonaws.services.lambda..", "dev.wsl.core.api..");
    }

    @Test
    void thereIsNoPackageCycle() {
        noCycles().check(PRODUCTION);
    }

    @Test
    void theDomainIsFreeOfSdkLambdaAndHttpTypes() {
        domainHasNoSdkOrLambdaTypes("dev.wsl.core.domain").check(PRODUCTION);
        domainIsPure("dev.wsl.core.domain").check(PRODUCTION);
    }

    @Test
    void failuresAndPortsAreFreeOfTheSdk() {
        classes().that().resideInAPackage("dev.wsl.core.failure..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.wsl.core.failure..")
                .check(PRODUCTION);
        classes().that().resideInAPackage("dev.wsl.core.port..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.wsl.core.port..",
                        "dev.wsl.core.domain..", "dev.wsl.core.failure..")
                .check(PRODUCTION);
    }

    @Test
    void theServicesDependOnPortsNotOnDynamoDb() {
        noClasses().that().resideInAnyPackage("dev.wsl.members..", "dev.wsl.licenses..", "dev.wsl.mailer..",
                        "dev.wsl.sunset..")
                .and().haveSimpleNameEndingWith("Service").or().haveSimpleName("InvitationMailer")
                .or().haveSimpleName("SunsetJob")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..", "dev.wsl.core.store..")
                .check(PRODUCTION);
    }

    /**
     * SnapStart priming (issue 19) runs the functions' handlers, but knows none of them: the composition roots hand
     * in how a handler is made, so that neither the priming package nor a composition root points back up at a
     * handler (a handler's constructor reaches its composition root, which would close a loop).
     */
    @Test
    void primingAndTheCompositionRootsKnowNoHandler() {
        noClasses().that().resideInAPackage("dev.wsl.activation.priming..")
                .should().dependOnClassesThat().resideInAPackage("dev.wsl.activation")
                .check(PRODUCTION);
        noClasses().that().resideInAPackage("dev.wsl.activation").and().haveSimpleNameEndingWith("Services")
                .should().dependOnClassesThat(com.tngtech.archunit.core.domain.JavaClass.Predicates
                        .resideInAPackage("dev.wsl.activation")
                        .and(com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameEndingWith("Handler")))
                .check(PRODUCTION);
    }

    /**
     * The SCIM functions compose only the use cases an identity provider reaches ({@code ProvisioningUseCases}): none
     * that issues or opens a personal auth token, so they hold no sealer and no KMS client (the template gives them no
     * KMS permission), and none that a person drives (creating workspaces, invitations, the first sign-in).
     */
    @Test
    void scimReachesNoTokenSealerAndNoPersonOnlyUseCase() {
        noClasses().that().resideInAPackage("dev.wsl.scim..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.wsl.core.domain.TokenSealer")
                .orShould().dependOnClassesThat().resideInAPackage("software.amazon.awssdk.services.kms..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.wsl.members.MemberService")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.wsl.members.Invitations")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.wsl.members.Workspaces")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.wsl.members.FirstSignIn")
                .check(PRODUCTION);
    }

    /** Functions write their logs as structured lines (dev.wsl.telemetry), never as loose text to stdout or stderr. */
    static ArchRule logsAreStructured() {
        return noClasses().that().resideOutsideOfPackages("dev.wsl.telemetry..", "dev.wsl.local..", "dev.wsl.bench..")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .orShould().callMethod(Throwable.class, "printStackTrace")
                .because("a function's log line is one JSON object that CloudWatch Logs Insights can query (Invocation, Log)");
    }

    @Test
    void functionsLogOnlyStructuredLines() {
        logsAreStructured().check(PRODUCTION);
    }

    @Test
    void theRules_shouldFail_onACycle_andOnALeakyDomain() {
        JavaClasses fixtures = new ClassFileImporter().importPackages("dev.wsl.local.archfixture");

        assertThatThrownBy(() -> noCycles().check(fixtures)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle");
        assertThatThrownBy(() -> domainHasNoSdkOrLambdaTypes("dev.wsl.local.archfixture.domain").check(fixtures))
                .isInstanceOf(AssertionError.class).hasMessageContaining("software.amazon.awssdk")
                .hasMessageContaining("com.amazonaws.services.lambda");
        assertThatThrownBy(() -> domainIsPure("dev.wsl.local.archfixture.domain").check(fixtures))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> logsAreStructured().check(new ClassFileImporter()
                .importPackages("dev.wsl.archfixture.loose"))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("System.err");
    }
}
