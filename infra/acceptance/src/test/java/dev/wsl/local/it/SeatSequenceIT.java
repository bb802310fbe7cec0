package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Seats under random sequences of what admins and billing do: assign, unassign, import keys (to a
 * member or nobody), give keys to someone else or nobody, delete keys, remove and re-invite members,
 * change the seats and replay an old billing event. Every step goes through the real handlers against
 * the emulator, and its answer (status and body) is checked against a model that says what it must be,
 * including {@code no-free-seat} with the unassigned keys that hold the seats; after every step the
 * summary must equal the model, and after every change (and every 50 steps) the stored counters a
 * recount from the items.
 *
 * <p>Seeded: by default two sequences of {@value #STEPS} operations with fresh seeds; a failure names
 * its seed, and {@code -Dseats.seed=<seed>} runs that sequence again ({@code -Dseats.steps} changes the
 * length), e.g. {@code infra/test.sh -pl infra/acceptance -am -Dit.test=SeatSequenceIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dseats.seed=42}.
 */
class SeatSequenceIT {
    static final int STEPS = 1000;
    private static final int MEMBERS = 12;

    @TestFactory
    Stream<DynamicTest> seatsShouldFollowTheModel_atEveryStep() {
        Long given = Long.getLong("seats.seed");
        SecureRandom fresh = new SecureRandom();
        List<Long> seeds = given != null ? List.of(given) : List.of(fresh.nextLong(), fresh.nextLong());
        int steps = Integer.getInteger("seats.steps", STEPS);
        return seeds.stream().map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> new Sequence(seed, steps).run()));
    }

    private static String recipientLimit;

    /**
     * A re-invitation is an invitation email, and a sequence re-invites each of its members more often in a
     * day than one address may be sent (InvitationsPerRecipientPerDay): room for them here, since these
     * sequences are about seats; the limits are {@code InvitationLimitIT}'s subject.
     */
    @BeforeAll
    static void roomForReinvitations() {
        recipientLimit = LocalRuntimeExtension.shared().parameters().get("InvitationsPerRecipientPerDay");
        LocalRuntimeExtension.shared().setParameters(Map.of("InvitationsPerRecipientPerDay", "100"));
    }

    @AfterAll
    static void forgetTheBulk() {
        LocalRuntimeExtension.shared().setParameters(Map.of("InvitationsPerRecipientPerDay", recipientLimit));
        LocalRuntimeExtension.shared().reset();
    }

    /** What the workspace holds, as the rules of PRODUCT.md section 4 say it must. */
    static final class Model {
        long seats;
        final Map<String, ModelMember> members = new LinkedHashMap<>();
        final Map<String, ModelKey> keys = new LinkedHashMap<>();

        static final class ModelMember {
            boolean removed;
            boolean licensed;
            String keyId;

            boolean holds() {
                return licensed || keyId != null;
            }
        }

        record ModelKey(String masked, String assignee) {}

        long inUse() {
            return members.values().stream().filter(ModelMember::holds).count()
                    + keys.values().stream().filter(k -> k.assignee() == null).count();
        }

        long licensed() {
            return members.values().stream().filter(m -> m.licensed).count();
        }

        long both() {
            return members.values().stream().filter(m -> m.licensed && m.keyId != null).count();
        }

        long keysAssigned() {
            return keys.values().stream().filter(k -> k.assignee() != null).count();
        }

        TreeSet<String> unassigned() {
            TreeSet<String> out = new TreeSet<>();
            keys.forEach((id, k) -> {
                if (k.assignee() == null) {
                    out.add(k.masked() + " (" + id + ")");
                }
            });
            return out;
        }

        /** Whether a change that moves seats in use by {@code delta} is refused for want of a seat. */
        boolean full(long delta) {
            return delta > 0 && inUse() + delta > seats;
        }
    }

    /** One seeded sequence against a workspace of its own. */
    private static final class Sequence {
        private final long seed;
        private final int steps;
        private final SplittableRandom random;
        private final Api api;
        private final Licenses licenses;
        private final Model model = new Model();
        private final List<String> memberIds = new ArrayList<>();
        private final String subscription;
        private Api.User admin;
        private String ws;
        private long sequence = 1;
        private int step;
        private String op;
        private boolean refusedStep;

        Sequence(long seed, int steps) {
            this.seed = seed;
            this.steps = steps;
            this.random = new SplittableRandom(seed);
            LocalStackRuntime runtime = LocalRuntimeExtension.shared();
            this.api = new Api(runtime);
            this.licenses = new Licenses(runtime, api);
            this.subscription = "sub_" + UUID.randomUUID().toString().substring(0, 8);
        }

        void run() {
            try {
                String suffix = UUID.randomUUID().toString().substring(0, 8);
                admin = api.user("seq-admin-" + suffix + "@example.com");
                ws = api.createWorkspace(admin, "Seats " + seed);
                model.seats = 6;
                assertThat(licenses.purchase(ws, subscription, model.seats, null)).containsEntry("applied", true);
                for (int i = 0; i < MEMBERS; i++) {
                    memberIds.add(api.invite(admin, ws, "S" + i, "seq-" + i + "-" + suffix + "@example.com")
                            .expect(202).text("id"));
                    model.members.put(memberIds.getLast(), new Model.ModelMember());
                }
                for (step = 0; step < steps; step++) {
                    refusedStep = false;
                    next();
                    checkSummary();
                    // A refusal changes nothing (the summary just said so); the items are recounted after
                    // every change, and every 50 steps regardless, which catches a refusal that left items
                    // behind without touching the counters.
                    if (!refusedStep || step % 50 == 0) {
                        checkRecount();
                    }
                }
                checkRecount();
            } catch (AssertionError e) {
                throw new AssertionError("seat sequence failed at step " + step + " (" + op + "); run it again with"
                        + " -Dseats.seed=" + seed + (steps == STEPS ? "" : " -Dseats.steps=" + steps) + "\n"
                        + e.getMessage(), e);
            }
        }

        private void next() {
            int roll = random.nextInt(26);
            boolean haveKeys = !model.keys.isEmpty();
            if (roll < 6) {
                assign(member());
            } else if (roll < 10) {
                unassign(member());
            } else if (roll < 13 || !haveKeys && roll < 21) {
                importKey(random.nextInt(4) == 0 ? null : member());
            } else if (roll < 17) {
                assignKey(key(), random.nextInt(4) == 0 ? null : member());
            } else if (roll < 19) {
                deleteKey(key());
            } else if (roll < 21) {
                remove(member());
            } else if (roll < 23) {
                reinvite(member());
            } else if (roll < 25) {
                changeSeats(random.nextInt(13));
            } else {
                replayPurchase();
            }
        }

        private String member() {
            return memberIds.get(random.nextInt(memberIds.size()));
        }

        private String key() {
            List<String> ids = new ArrayList<>(model.keys.keySet());
            return ids.get(random.nextInt(ids.size()));
        }

        // ------------------------------------------------------------ operations and what they must answer

        private void assign(String id) {
            op = "assign " + id;
            Model.ModelMember m = model.members.get(id);
            Api.Response r = licenses.assign(admin, ws, id);
            if (m.removed) {
                refused(r, "member-removed");
            } else if (!m.licensed && model.full(m.holds() ? 0 : 1)) {
                noFreeSeat(r);
            } else {
                m.licensed = true;
                holding(r.expect(200), id, m);
            }
        }

        private void unassign(String id) {
            op = "unassign " + id;
            Model.ModelMember m = model.members.get(id);
            Api.Response r = licenses.unassign(admin, ws, id);
            if (!m.licensed) {
                refused(r, "no-license");
            } else {
                m.licensed = false;
                holding(r.expect(200), id, m);
            }
        }

        private void importKey(String memberId) {
            String key = randomKey();
            op = "import " + LegacyKey.mask(key) + " to " + memberId;
            Model.ModelMember m = memberId == null ? null : model.members.get(memberId);
            Api.Response r = licenses.importKey(admin, ws, key, memberId);
            if (m != null && m.removed) {
                refused(r, "member-removed");
            } else if (m != null && m.keyId != null) {
                refused(r, "member-has-key");
            } else if (model.full(m == null || !m.holds() ? 1 : 0)) {
                noFreeSeat(r);
            } else {
                JsonNode item = r.expect(201).json().get("items").get(0);
                String keyId = item.get("id").asText();
                assertThat(item.get("masked").asText()).isEqualTo(LegacyKey.mask(key));
                assertThat(item.has("assignee") ? item.get("assignee").asText() : null).isEqualTo(memberId);
                model.keys.put(keyId, new Model.ModelKey(LegacyKey.mask(key), memberId));
                if (m != null) {
                    m.keyId = keyId;
                }
            }
        }

        private void assignKey(String keyId, String memberId) {
            op = "give " + keyId + " to " + memberId;
            Model.ModelKey k = model.keys.get(keyId);
            Api.Response r = licenses.assignKey(admin, ws, keyId, memberId);
            if (java.util.Objects.equals(k.assignee(), memberId)) {
                keyView(r.expect(200), keyId, k);
                return;
            }
            Model.ModelMember target = memberId == null ? null : model.members.get(memberId);
            if (target != null && target.removed) {
                refused(r, "member-removed");
                return;
            }
            // A target who holds another key swaps it: theirs goes to nobody (holding a seat) in the same change.
            String releasedId = target == null ? null : target.keyId;
            long before = model.inUse();
            Model.ModelMember holder = k.assignee() == null ? null : model.members.get(k.assignee());
            // The seats after: the old holder may stop holding anything; the key or the new holder may start; a
            // released key holds a seat of its own.
            long after = before - (holder != null && !holder.licensed ? 1 : 0) - (k.assignee() == null ? 1 : 0)
                    + (target == null ? 1 : target.holds() ? 0 : 1) + (releasedId != null ? 1 : 0);
            if (model.full(after - before)) {
                noFreeSeat(r);
                return;
            }
            if (holder != null) {
                holder.keyId = null;
            }
            if (releasedId != null) {
                model.keys.put(releasedId, new Model.ModelKey(model.keys.get(releasedId).masked(), null));
            }
            if (target != null) {
                target.keyId = keyId;
            }
            Model.ModelKey moved = new Model.ModelKey(k.masked(), memberId);
            model.keys.put(keyId, moved);
            keyView(r.expect(200), keyId, moved);
        }

        private void deleteKey(String keyId) {
            op = "delete " + keyId;
            Model.ModelKey k = model.keys.remove(keyId);
            licenses.deleteKey(admin, ws, keyId).expect(204);
            if (k.assignee() != null) {
                model.members.get(k.assignee()).keyId = null;
            }
        }

        private void remove(String id) {
            op = "remove " + id;
            Model.ModelMember m = model.members.get(id);
            Api.Response r = api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + id, null);
            if (m.removed) {
                refused(r, "member-removed");
                return;
            }
            if (m.keyId != null) {
                model.keys.remove(m.keyId);
            }
            m.removed = true;
            m.licensed = false;
            m.keyId = null;
            JsonNode body = r.expect(200).json();
            assertThat(body.get("status").asText()).isEqualTo("REMOVED");
            assertThat(body.get("licensed").asBoolean()).isFalse();
            assertThat(body.has("legacyKeyId")).isFalse();
        }

        private void reinvite(String id) {
            op = "reinvite " + id;
            Model.ModelMember m = model.members.get(id);
            Api.Response r = api.call(admin, "POST", "/workspaces/" + ws + "/members/" + id + "/invitation", null);
            m.removed = false;
            assertThat(r.expect(202).json().get("status").asText()).isEqualTo("INVITED");
            assertThat(r.json().get("licensed").asBoolean()).isEqualTo(m.licensed);
        }

        private void changeSeats(int seats) {
            op = "billing: " + seats + " seats";
            Map<String, Object> outcome = licenses.changeSeats(ws, subscription, seats, ++sequence);
            model.seats = seats;
            assertThat(outcome).containsEntry("accepted", true).containsEntry("applied", true)
                    .containsEntry("note", "seats now " + seats);
        }

        private void replayPurchase() {
            op = "billing: the purchase again";
            Map<String, Object> outcome = licenses.purchase(ws, subscription, 6, null);
            assertThat(outcome).containsEntry("accepted", true).containsEntry("applied", false)
                    .containsEntry("note", "already applied (sequence " + sequence + ")");
        }

        // ------------------------------------------------------------ checks

        private void refused(Api.Response r, String slug) {
            refusedStep = true;
            assertThat(r.status()).as("status of %s", r.raw()).isEqualTo(409);
            assertThat(r.text("type")).isEqualTo("urn:problem:wsl:" + slug);
        }

        private void noFreeSeat(Api.Response r) {
            refused(r, "no-free-seat");
            assertThat(r.json().get("seats").asLong()).isEqualTo(model.seats);
            assertThat(r.json().get("inUse").asLong()).isEqualTo(model.inUse());
            List<String> named = new ArrayList<>();
            r.json().get("unassignedLegacyKeys").forEach(k -> named.add(k.asText()));
            assertThat(named).containsExactlyElementsOf(model.unassigned());
            assertThat(r.text("detail")).contains(model.seats == 0 ? "no active subscription" : "seats are in use");
        }

        private void holding(Api.Response r, String id, Model.ModelMember m) {
            assertThat(r.text("memberId")).isEqualTo(id);
            assertThat(r.json().get("licensed").asBoolean()).isEqualTo(m.licensed);
            assertThat(r.json().has("legacyKeyId") ? r.text("legacyKeyId") : null).isEqualTo(m.keyId);
        }

        private void keyView(Api.Response r, String keyId, Model.ModelKey k) {
            assertThat(r.text("id")).isEqualTo(keyId);
            assertThat(r.text("masked")).isEqualTo(k.masked());
            assertThat(r.json().has("assignee") ? r.text("assignee") : null).isEqualTo(k.assignee());
        }

        private void checkSummary() {
            JsonNode s = licenses.summary(admin, ws);
            long inUse = model.inUse();
            assertThat(s.get("seats").asLong()).as("seats").isEqualTo(model.seats);
            assertThat(s.get("inUse").asLong()).as("in use").isEqualTo(inUse);
            assertThat(s.get("free").asLong()).as("free").isEqualTo(Math.max(0, model.seats - inUse));
            assertThat(s.get("licensed").asLong()).as("licensed").isEqualTo(model.licensed());
            assertThat(s.get("membersWithLicenseAndKey").asLong()).as("both").isEqualTo(model.both());
            assertThat(s.get("legacyKeys").get("assigned").asLong()).as("keys assigned").isEqualTo(model.keysAssigned());
            assertThat(s.get("legacyKeys").get("unassigned").asLong()).as("keys unassigned")
                    .isEqualTo((long) model.unassigned().size());
            assertThat(s.get("canAssign").asBoolean()).as("canAssign").isEqualTo(model.seats > 0 && model.seats > inUse);
        }

        private void checkRecount() {
            LicensePool pool = licenses.assertCountersMatchRecount(ws);
            assertThat(pool.tally().inUse()).isEqualTo(model.inUse());
        }

        private String randomKey() {
            String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return key.toString();
        }
    }
}
