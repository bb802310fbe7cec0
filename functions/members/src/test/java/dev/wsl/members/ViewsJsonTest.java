package dev.wsl.members;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.wsl.core.json.Json;
import dev.wsl.core.json.JsonWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every view of the members API, written by the streaming writer, is byte for byte what the ObjectMapper wrote. */
class ViewsJsonTest {
    private static final String AT = "2026-12-08T00:10:47.123456Z";

    static Stream<Object> views() {
        var invitation = new Views.InvitationView(AT, "SENT", 2);
        var usage = new Views.UsageView(AT, "machine \"α\"\n", "linux/amd64", "auth-token");
        var member = new Views.MemberView("m_1", "zoë@exämple.com", "Zoë \u0007 O'Brien </b>", "INVITED", "MEMBER",
                List.of("MANAGE_LICENSES", "VIEW_AUDIT"), true, "lk_9", AT, null, null, invitation, usage, "sub_1",
                new Views.ProvisioningView("zoe", "ext-\u00001", true), null, false, 12L);
        var removed = new Views.MemberView("m_2", "a@b.c", null, "REMOVED", "ADMIN", List.of(), false, null, AT, AT,
                AT, null, null, null, null, new Views.RemovalView(AT, null, true), true, null);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("role", "ADMIN");
        details.put("permissions", "");
        details.put("note", null);
        var you = new Views.YouView("m_1", "ADMIN", List.of("MANAGE_MEMBERS"));
        var membership = new Views.MembershipView("ws_1", "Acme ✓", "m_1", "ADMIN", List.of());
        var domain = new Views.DomainView("example.com", "VERIFIED", new Views.RecordView("TXT",
                "_wsl.example.com", "wsl-verify=abc"), AT, "admin@example.com", AT, null, AT, null, AT, "FOUND",
                "Found the record \u2028 on 3 servers.");
        var pending = new Views.PendingView("ws_1", "Acme", "m_3", AT, new Views.ProvisionedByView("scim", null));
        return Stream.of(
                new Views.WorkspaceView("ws_1", "Acme \uD83D\uDE00", AT, you), member, removed,
                new Views.TokenView("wsl_tok_secret", "…cret", AT, new Views.OverlapView("…old", AT)),
                new Views.TokenView("wsl_tok_secret", "…cret", AT, null),
                new Views.AuditView(AT, new Views.ActorView("u_1", null), "member.access-set", "m_1", details),
                new Views.AuditView(AT, new Views.ActorView("u_1", "a@b.c"), "workspace.created", "ws_1", Map.of()),
                new Views.PageView<>(List.of(member, removed), "eyJjIjoxfQ=="), new Views.PageView<>(List.of(), null),
                new Views.IdlePageView(List.of(member), null, 30),
                new Views.MembershipsView(List.of(membership, membership)),
                new Views.AcceptedView("ws_1", "m_1", "ACTIVE", "MEMBER"),
                new Views.PendingListView(List.of(pending)), new Views.DomainsView(List.of(domain)),
                new Views.DomainView("x.org", "PENDING", new Views.RecordView("TXT", "_wsl.x.org", "v"), AT, null,
                        null, null, null, null, null, null, "Not checked yet."),
                new Views.TokenChoiceView(null, "ws_1", List.of(new Views.TokenOptionView("ws_1", "Acme", true, false))));
    }

    @ParameterizedTest
    @MethodSource("views")
    void everyView_shouldBeWrittenAsTheObjectMapperWroteIt(Object view) throws JsonProcessingException {
        assertThat(JsonWriter.write(view)).isEqualTo(Json.mapper().writeValueAsString(view));
    }
}
