package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;

/**
 * The contract of the stores, as the services rely on it: which condition fails with which typed failure, and
 * that a failed step changes nothing. Each contract is an abstract class of its own ({@link StoreContract} and
 * below); the fakes pass every one in {@code functions/testkit} ({@code FakeStoresContractTest}), the DynamoDB
 * stores against the emulator in {@code infra/acceptance} ({@code DynamoStoresContractIT}), so a fake cannot be kinder
 * than the real thing without a test failing. {@link #ALL} is the list both runners are held to.
 */
public final class StoreContracts {
    private StoreContracts() {}

    /** Every contract; a runner that leaves one out fails {@link #assertRunsAll}. */
    public static final List<Class<? extends StoreContract>> ALL = List.of(WorkspaceStoreContract.class,
            WorkspaceAdminsContract.class, WorkspaceListingContract.class, LicenseStoreContract.class,
            OutboxStoreContract.class, CredentialStoreContract.class, RotationContract.class, UsageStoreContract.class,
            SunsetStoreContract.class, DomainStoreContract.class, ScimStoreContract.class, SeatStoreContract.class);

    /** Asserts that the runner has a {@code @Nested} class for every contract in {@link #ALL}. */
    public static void assertRunsAll(Class<?> runner) {
        List<Class<?>> run = Arrays.stream(runner.getDeclaredClasses())
                .filter(c -> c.isAnnotationPresent(Nested.class))
                .<Class<?>>map(Class::getSuperclass).toList();
        assertThat(run).as("the contracts %s runs", runner.getSimpleName()).containsExactlyInAnyOrderElementsOf(ALL);
    }
}
