package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.LicensePool;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Property: whatever sequence of license and key operations admins and billing perform, the
 * pool's stored counters equal a recount from the items after every step, and a step never
 * takes seats beyond the seats (seats in use may exceed seats only as a downgrade left them,
 * and then never grow). Each try runs 1,000 random operations through the real handlers
 * against the emulator.
 */
class SeatInvariantPropertyIT {
    private static final int MEMBERS = 12;
    private static final Set<Integer> EXPECTED = Set.of(200, 201, 202, 204, 404, 409);

    /** One operation; indices pick a member or key of the workspace (modulo how many there are). */
    sealed interface Op permits Assign, Unassign, ImportKey, AssignKey, DeleteKey, RemoveMember, Reinvite, ChangeSeats {}

    record Assign(int member) implements Op {}

    record Unassign(int member) implements Op {}

    /** {@code member < 0}: import assigned to nobody. */
    record ImportKey(int member) implements Op {}

    /** {@code member < 0}: give the key to nobody. */
    record AssignKey(int key, int member) implements Op {}

    record DeleteKey(int key) implements Op {}

    record RemoveMember(int member) implements Op {}

    record Reinvite(int member) implements Op {}

    record ChangeSeats(int seats) implements Op {}

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> member = Arbitraries.integers().between(0, MEMBERS - 1);
        Arbitrary<Integer> memberOrNobody = Arbitraries.integers().between(-3, MEMBERS - 1);
        Arbitrary<Integer> key = Arbitraries.integers().between(0, 50);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, member.map(Assign::new)),
                net.jqwik.api.Tuple.of(4, member.map(Unassign::new)),
                net.jqwik.api.Tuple.of(3, memberOrNobody.map(ImportKey::new)),
                net.jqwik.api.Tuple.of(3, net.jqwik.api.Combinators.combine(key, memberOrNobody).as(AssignKey::new)),
                net.jqwik.api.Tuple.of(2, key.map(DeleteKey::new)),
                net.jqwik.api.Tuple.of(1, member.map(RemoveMember::new)),
                net.jqwik.api.Tuple.of(1, member.map(Reinvite::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 12).map(ChangeSeats::new)));
        return op.list().ofSize(Integer.getInteger("wsl.property.steps", 1000));
    }

    @net.jqwik.api.lifecycle.AfterContainer
    static void forgetTheBulk() {
        LocalRuntimeExtension.shared().reset();
    }

    @Property(tries = 2, shrinking = ShrinkingMode.BOUNDED)
    void seatsInUse_shouldEqualARecount_andNeverGrowBeyondSeats(@ForAll("operations") List<Op> ops) {
        LocalStackRuntime runtime = LocalRuntimeExtension.shared();
        Api api = new Api(runtime);
        Licenses licenses = new Licenses(runtime, api);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("prop-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Property");
        String subscription = "sub_" + suffix;
        licenses.purchase(ws, subscription, 6, null);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            members.add(api.invite(admin, ws, "P" + i, "prop-" + i + "-" + suffix + "@example.com").expect(202).text("id"));
        }
        List<String> keys = new ArrayList<>();
        long sequence = 1;
        LicensePool before = licenses.assertCountersMatchRecount(ws);

        for (int step = 0; step < ops.size(); step++) {
            Op op = ops.get(step);
            int status = switch (op) {
                case Assign a -> licenses.assign(admin, ws, members.get(a.member())).status();
                case Unassign u -> licenses.unassign(admin, ws, members.get(u.member())).status();
                case ImportKey i -> {
                    Api.Response r = licenses.importKey(admin, ws, Licenses.randomKey(),
                            i.member() < 0 ? null : members.get(i.member()));
                    if (r.status() == 201) {
                        keys.add(r.json().get("items").get(0).get("id").asText());
                    }
                    yield r.status();
                }
                case AssignKey k -> keys.isEmpty() ? 404 : licenses.assignKey(admin, ws, keys.get(k.key() % keys.size()),
                        k.member() < 0 ? null : members.get(k.member())).status();
                case DeleteKey d -> {
                    if (keys.isEmpty()) {
                        yield 404;
                    }
                    String keyId = keys.get(d.key() % keys.size());
                    int s = licenses.deleteKey(admin, ws, keyId).status();
                    if (s == 204) {
                        keys.remove(keyId);
                    }
                    yield s;
                }
                case RemoveMember r -> api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + members.get(r.member()),
                        null).status();
                case Reinvite r -> api.call(admin, "POST", "/workspaces/" + ws + "/members/" + members.get(r.member())
                        + "/invitation", null).status();
                case ChangeSeats c -> {
                    licenses.changeSeats(ws, subscription, c.seats(), ++sequence);
                    yield 200;
                }
            };
            assertThat(EXPECTED).as("step %d %s answered %d", step, op, status).contains(status);
            LicensePool after = licenses.assertCountersMatchRecount(ws);
            if (after.tally().inUse() > before.tally().inUse()) {
                assertThat(after.tally().inUse()).as("step %d %s took seats beyond %d", step, op, after.seats())
                        .isLessThanOrEqualTo(after.seats());
            }
            // Keys removed with their member (or deleted) are no longer in the workspace.
            if (op instanceof RemoveMember) {
                List<String> present = new ArrayList<>();
                api.call(admin, "GET", "/workspaces/" + ws + "/legacy-keys", null).expect(200).json().get("items")
                        .forEach(k -> present.add(k.get("id").asText()));
                keys.retainAll(present);
            }
            before = after;
        }
    }
}
