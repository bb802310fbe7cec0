package dev.wsl.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.wsl.core.access.Principal;
import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.domain.Subscription;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NoFreeSeat;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/**
 * The workspace, stores and doors the seat tests share: the license, legacy-key and sunset doors over one
 * {@link SeatPlanner}, on the in-memory stores, with an admin and helpers that check the stored counters.
 */
abstract class SeatFixture {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    final FakeStores stores = new FakeStores();
    final Arrange arrange = new Arrange(stores, NOW);
    final SeatPlanner planner = new SeatPlanner(stores.workspaces(), stores.licenses(), new MutableClock(NOW),
            RetryPolicy.withoutPauses(4));
    final LicenseService licenses = new LicenseService(planner);
    final LegacyKeyService keys = new LegacyKeyService(planner, stores.credentials());
    final SunsetKeys sunset = new SunsetKeys(keys);
    final Arrange.Ws ws = arrange.workspace();
    final Caller admin = ws.caller();

    Principal.Person person(Caller caller) {
        return new Authorization(stores.workspaces()).person(caller, ws.id());
    }

    Principal idp() {
        return new Principal.IdentityProvider(ws.id());
    }

    long inUse() {
        LicensePool pool = stores.licenses().pool(ws.id());
        assertThat(pool.tally()).as("stored counters vs recount").isEqualTo(stores.recount(ws.id()));
        assertThat(pool.unassignedKeys()).isEqualTo(stores.unassignedKeys(ws.id()));
        return pool.tally().inUse();
    }

    String invited(String name) {
        return arrange.invite(ws, name + "@example.com").memberId();
    }

    LegacyKey importKey(String key, String memberId) {
        return keys.importKeys(person(admin), ws.id(), List.of(new LegacyKeyService.KeyImport(key, memberId))).getFirst();
    }

    /** An ACTIVE member with these advanced permissions, as the caller they sign in as. */
    Caller memberWith(String name, dev.wsl.core.domain.Permission... permissions) {
        Member active = arrange.activeMember(ws, name + "@example.com");
        stores.workspaces().changeAccess(active, active.withAccess(new dev.wsl.core.domain.Access(
                dev.wsl.core.domain.Role.MEMBER, java.util.Set.of(permissions))), 0, arrange.audit(ws.id(), admin, "a"));
        return Arrange.caller(name + "@example.com");
    }
    Member stored(String memberId) {
        return stores.workspaces().findMember(ws.id(), memberId).orElseThrow();
    }

    List<AuditEntry> audit(String action) {
        return stores.auditOf(ws.id()).stream().filter(e -> e.action().equals(action)).toList();
    }

    void twoSubscriptions(long smallSeats, long largeSeats) {
        LicensePool read = stores.licenses().pool(ws.id());
        Subscription small = new Subscription("sub_small", "Starter", smallSeats, NOW.minusSeconds(86_400),
                NOW.plusSeconds(86_400 * 365L), Subscription.Status.ACTIVE, read.version() + 1);
        Subscription large = new Subscription("sub_large", "Team", largeSeats, NOW.minusSeconds(86_400),
                NOW.plusSeconds(86_400 * 365L), Subscription.Status.ACTIVE, read.version() + 1);
        stores.licenses().saveSubscriptions(read, Map.of(small.subscriptionId(), small, large.subscriptionId(), large),
                smallSeats + largeSeats, arrange.audit(ws.id(), admin, "subscription.purchased"));
    }
}
