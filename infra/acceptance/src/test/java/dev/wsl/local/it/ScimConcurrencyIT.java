package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SCIM under concurrency, through the real handlers against the emulator: parallel creates of one userName
 * make one member (the userName lock's condition); an identity provider's group push adding 50 members
 * races with admins assigning licenses in the console on a 10-seat pool, and seats in use never exceed the
 * seats, with the counters equal to a recount.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ScimConcurrencyIT {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(24);

    private final Api api;
    private final Licenses licenses;
    private final Scim scim;

    ScimConcurrencyIT(LocalStackRuntime runtime) {
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.scim = new Scim(runtime, api);
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
        LocalRuntimeExtension.shared().reset();
    }

    @Test
    void twentyParallelCreates_ofOneUserName_makeOneMember() throws Exception {
        Licenses.Licensed w = licenses.licensedWorkspace("ScimRace");
        String token = scim.newToken(w.admin(), w.ws());
        Domains.verify(licenses.runtime(), api, w.admin(), w.ws(), "example.com"); // the IdP licenses people before they sign in (issue 17)
        String userName = "race-" + w.suffix() + "@example.com";
        List<Callable<Api.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // Same userName (in varying case), each with an email of its own: only the userName collides.
            String name = i % 2 == 0 ? userName : userName.toUpperCase();
            String email = "race-" + i + "-" + w.suffix() + "@example.com";
            calls.add(() -> scim.call(token, "POST", "/scim/v2/Users", Scim.user(name, email, null)));
        }
        List<Api.Response> answers = inParallel(calls);

        assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(1);
        answers.stream().filter(r -> r.status() != 201).forEach(r -> Scim.assertError(r, 409, "uniqueness"));
        assertThat(api.allMembers(w.admin(), w.ws(), true)).as("the admin and one provisioned member").hasSize(2);
        assertThat(scim.call(token, "GET", "/scim/v2/Users?filter=userName%20eq%20%22" + userName + "%22", null)
                .expect(200).json().get("totalResults").asInt()).isEqualTo(1);
    }

    @RepeatedTest(3)
    void aGroupPushOfFifty_racingConsoleAssigns_neverExceedsTheTenSeats() throws Exception {
        Race r = race("scim-conc");
        String suffix = r.suffix();

        List<Callable<Api.Response>> calls = new ArrayList<>();
        calls.add(() -> scim.call(r.token(), "PATCH", "/scim/v2/Groups/license_sub_" + suffix, Scim.patch(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[" + r.fifty() + "]}")));
        r.invited().forEach(m -> calls.add(() -> licenses.assign(r.admin(), r.ws(), m)));
        List<Api.Response> answers = inParallel(calls);

        Api.Response push = answers.getFirst();
        Scim.assertError(push, 409, null);
        assertThat(push.text("detail")).contains("not licensed");
        List<Api.Response> assigns = answers.subList(1, answers.size());
        assertThat(assigns).allMatch(a -> a.status() == 200 || a.status() == 409);
        long consoleGranted = assigns.stream().filter(a -> a.status() == 200).count();
        var pool = licenses.assertCountersMatchRecount(r.ws());
        assertThat(pool.seats()).isEqualTo(10);
        assertThat(pool.tally().inUse()).as("seats in use never above the seats").isEqualTo(10);
        long pushed = scim.call(r.token(), "GET", "/scim/v2/Groups/license_sub_" + suffix, null).expect(200).json()
                .get("members").size();
        assertThat(pushed).as("every license is in the subscription's group").isEqualTo(10);
        assertThat(pool.licensedFrom("sub_" + suffix)).isEqualTo(10);
        assertThat(push.text("detail")).contains("Applied " + (10 - consoleGranted) + " of 50");
    }

    /**
     * A group of the identity provider's holding 50 users is mapped to a 10-seat subscription's license while
     * admins assign licenses in the console to 20 others, all at once: the mapping licenses what fits member by
     * member through the license service, so seats in use never exceed the seats, and the counters stay equal
     * to a recount; who did not get a license is reported.
     */
    @RepeatedTest(3)
    void mappingAnIdpGroupOfFifty_racingConsoleAssigns_neverExceedsTheTenSeats() throws Exception {
        Race r = race("scim-idp-conc");
        String suffix = r.suffix();
        String ws = r.ws();
        Api.User admin = r.admin();
        String group = scim.call(r.token(), "POST", "/scim/v2/Groups", "{\"schemas\":[\"urn:ietf:params:scim:schemas:"
                + "core:2.0:Group\"],\"displayName\":\"Fifty\",\"members\":[" + r.fifty() + "]}").expect(201).text("id");
        List<String> invited = r.invited();

        List<Callable<Api.Response>> calls = new ArrayList<>();
        calls.add(() -> api.call(admin, "PUT", "/workspaces/" + ws + "/scim/groups/" + group + "/mapping",
                "{\"target\":\"license\",\"subscriptionId\":\"sub_" + suffix + "\"}"));
        invited.forEach(m -> calls.add(() -> licenses.assign(admin, ws, m)));
        List<Api.Response> answers = inParallel(calls);

        Api.Response mapped = answers.getFirst().expect(200);
        long consoleGranted = answers.subList(1, answers.size()).stream().filter(a -> a.status() == 200).count();
        assertThat(answers.subList(1, answers.size())).allMatch(a -> a.status() == 200 || a.status() == 409);
        var pool = licenses.assertCountersMatchRecount(ws);
        assertThat(pool.tally().inUse()).as("seats in use never above the seats").isEqualTo(10);
        assertThat(mapped.json().get("added").asLong()).isEqualTo(10 - consoleGranted);
        assertThat(mapped.json().get("notApplied").size()).as("the rest reported, not licensed")
                .isEqualTo(50 - (10 - (int) consoleGranted));
        mapped.json().get("notApplied").properties().forEach(e -> assertThat(e.getValue().asText())
                .as("refused for want of a seat, not for want of consent").startsWith("not licensed"));
        assertThat(pool.licensedFrom("sub_" + suffix)).isEqualTo(10);
    }

    /**
     * A race's ground: a 10-seat subscription, the SCIM token, example.com verified (the IdP licenses people
     * before they sign in, issue 17), fifty users of the IdP (as a members value) and twenty members invited in
     * the console.
     */
    private record Race(String suffix, Api.User admin, String ws, String token, String fifty, List<String> invited) {}

    private Race race(String label) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user(label + "-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "SCIM concurrency");
        licenses.purchase(ws, "sub_" + suffix, 10, null);
        String token = scim.newToken(admin, ws);
        Domains.verify(licenses.runtime(), api, admin, ws, "example.com");
        StringBuilder fifty = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String email = label + "-push-" + i + "-" + suffix + "@example.com";
            String id = scim.call(token, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201).text("id");
            fifty.append(i == 0 ? "" : ",").append("{\"value\":\"").append(id).append("\"}");
        }
        List<String> invited = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            invited.add(api.invite(admin, ws, "C" + i, label + "-console-" + i + "-" + suffix + "@example.com")
                    .expect(202).text("id"));
        }
        return new Race(suffix, admin, ws, token, fifty.toString(), invited);
    }

    private static List<Api.Response> inParallel(List<Callable<Api.Response>> calls) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Api.Response>> futures = new ArrayList<>();
        for (var call : calls) {
            futures.add(POOL.submit(() -> {
                start.await();
                return call.call();
            }));
        }
        start.countDown();
        List<Api.Response> out = new ArrayList<>();
        for (Future<Api.Response> f : futures) {
            out.add(f.get());
        }
        return out;
    }
}
