package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CSV exports through the real handlers (issue 21): {@code Accept: text/csv} on the members list and the audit
 * trail answers RFC 4180 pages whose formula cells are neutralized, followed page by page through the {@code Link}
 * header, each page costing the requests of a list page; and an export shows what its caller sees on screen.
 */
@ExtendWith(LocalRuntimeExtension.class)
class CsvExportIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    private final Api api;
    private final Licenses licenses;
    private final PastSeats past;
    private String suffix;
    private Api.User admin;
    private String ws;

    CsvExportIT(LocalStackRuntime runtime) {
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.past = new PastSeats(runtime);
    }

    @BeforeEach
    void workspace() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        admin = api.user("csv-admin-" + suffix + "@example.com");
        ws = api.createWorkspace(admin, "CSV " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 20, admin.email());
    }

    private String invite(String name, String label) throws Exception {
        String body = JSON.writeValueAsString(Map.of("name", name, "email", label + "-" + suffix + "@example.com"));
        return api.call(admin, "POST", "/workspaces/" + ws + "/members", body).expect(202).text("id");
    }

    /** Every page of an export, following its Link header: the pages' texts in order. */
    private List<Api.Response> pages(Api.User caller, String first) {
        List<Api.Response> pages = new ArrayList<>();
        String next = first;
        while (next != null && pages.size() < 50) {
            Api.Response page = api.csv(caller, next).expect(200);
            pages.add(page);
            Matcher m = NEXT.matcher(page.headers().getOrDefault("link", ""));
            next = m.find() ? m.group(1) : null;
        }
        return pages;
    }

    private static List<List<String>> rows(List<Api.Response> pages) {
        StringBuilder all = new StringBuilder();
        pages.forEach(p -> all.append(p.raw()));
        return CsvReader.parse(all.toString());
    }

    private static Map<String, String> byName(List<List<String>> rows) {
        Map<String, String> out = new LinkedHashMap<>();
        rows.subList(1, rows.size()).forEach(r -> out.put(r.get(0), String.join("|", r)));
        return out;
    }

    @Test
    void theMembersExport_shouldBeRfc4180_neutralizeFormulaCells_andComePageByPage() throws Exception {
        List<String> names = List.of("=HYPERLINK(\"http://evil.example\",\"x\")", "+SUM(1,2)", "-2+3", "@cmd",
                "Smith, \"Jo\"", "Zoë Ünicode");
        for (int i = 0; i < names.size(); i++) {
            invite(names.get(i), "p" + i);
        }

        List<String> firstPageCalls = RequestCounter.calls(() -> api.csv(admin, "/workspaces/" + ws
                + "/members?limit=3").expect(200));
        List<Api.Response> pages = pages(admin, "/workspaces/" + ws + "/members?limit=3");

        assertThat(pages).hasSize(3);
        assertThat(pages.getFirst().contentType()).isEqualTo("text/csv; charset=utf-8; header=present");
        assertThat(pages.getFirst().headers().get("content-disposition"))
                .isEqualTo("attachment; filename=\"members-" + ws + ".csv\"");
        assertThat(pages.getFirst().raw()).startsWith("\"Name\",\"Email\",\"Status\",\"Role\",\"Permissions\",\"License\","
                + "\"Subscription\",\"Legacy key\",\"Last activation\",\"Idle days\"\r\n");
        assertThat(pages.get(1).raw()).as("the header row once").doesNotContain("\"Name\",\"Email\"");
        pages.forEach(p -> assertThat(p.raw()).endsWith("\r\n"));
        assertThat(pages.getLast().headers()).doesNotContainKey("link");
        assertThat(pages.getFirst().raw() + pages.get(1).raw() + pages.get(2).raw())
                .contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"").contains("\"Smith, \"\"Jo\"\"\"");

        List<List<String>> rows = rows(pages);
        assertThat(rows).hasSize(1 + 7).allSatisfy(r -> assertThat(r).hasSize(10));
        Map<String, String> rowOf = byName(rows);
        assertThat(rowOf.keySet()).containsExactly(admin.name(), "'=HYPERLINK(\"http://evil.example\",\"x\")", "'+SUM(1,2)",
                "'-2+3", "'@cmd", "Smith, \"Jo\"", "Zoë Ünicode");
        assertThat(rowOf.get(admin.name())).isEqualTo(admin.name() + "|" + admin.email() + "|ACTIVE|ADMIN||yes|sub_"
                + suffix + "|||0");
        assertThat(rowOf.get("Smith, \"Jo\"")).startsWith("Smith, \"Jo\"|p4-" + suffix + "@example.com|INVITED|MEMBER||no|");
        // A page costs what a list page costs: the grant, one query, the usage of its active or licensed members.
        assertThat(firstPageCalls).containsExactly("DynamoDb.GetItem", "DynamoDb.Query", "DynamoDb.BatchGetItem");

        assertThat(api.csv(admin, "/workspaces/" + ws + "/members?limit=1001").expect(400).text("type"))
                .isEqualTo("urn:problem:wsl:invalid-limit");
    }

    @Test
    void anExport_shouldShowWhatItsCallerSeesOnScreen_andNoMore() throws Exception {
        String kim = invite("Kim", "kim");
        String key = "kims-" + suffix + "-key";
        licenses.importKey(admin, ws, key, kim).expect(201);
        String mask = "…" + key.substring(key.length() - 4);
        Api.User plain = api.user("csv-plain-" + suffix + "@example.com");
        api.addActiveMember(admin, ws, plain);
        Api.User keeper = api.user("csv-keys-" + suffix + "@example.com");
        grant(api.addActiveMember(admin, ws, keeper), "legacy-keys:manage");
        Api.User auditor = api.user("csv-audit-" + suffix + "@example.com");
        grant(api.addActiveMember(admin, ws, auditor), "audit:read");
        String members = "/workspaces/" + ws + "/members";
        String audit = "/workspaces/" + ws + "/audit";

        assertThat(byName(rows(pages(plain, members))).get("Kim")).as("a member without legacy-keys:manage")
                .contains("|legacy key|").doesNotContain(mask);
        assertThat(byName(rows(pages(keeper, members))).get("Kim")).contains("|" + mask + "|");
        assertThat(byName(rows(pages(admin, members))).get("Kim")).contains("|" + mask + "|");
        assertThat(rows(pages(plain, members))).as("the rows the list shows").hasSize(1
                + api.allMembers(plain, ws, false).size());

        Api.Response refused = api.csv(plain, audit).expect(403);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.text("type")).isEqualTo("urn:problem:wsl:missing-permission");
        String auditorsView = String.join("", pages(auditor, audit).stream().map(Api.Response::raw).toList());
        assertThat(auditorsView).contains("legacy-key.imported").doesNotContain(mask);
        assertThat(String.join("", pages(admin, audit).stream().map(Api.Response::raw).toList()))
                .contains("masked=" + mask);

        Api.User outsider = api.user("csv-outsider-" + suffix + "@example.com");
        Api.User otherAdmin = api.user("csv-other-" + suffix + "@example.com");
        api.createWorkspace(otherAdmin, "Other " + suffix);
        for (Api.User stranger : List.of(outsider, otherAdmin)) {
            assertThat(api.csv(stranger, members).expect(404).text("type")).isEqualTo("urn:problem:wsl:workspace-not-found");
            assertThat(api.csv(stranger, audit).expect(404).text("type")).isEqualTo("urn:problem:wsl:workspace-not-found");
        }
    }

    private void grant(String memberId, String permission) {
        api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + memberId + "/access",
                "{\"role\":\"MEMBER\",\"permissions\":[\"" + permission + "\"]}").expect(200);
    }

    @Test
    void theAuditExport_shouldHoldEveryEntryOnce_newestFirst_acrossPages() throws Exception {
        for (int i = 0; i < 4; i++) {
            invite("Person " + i, "a" + i);
        }

        List<Api.Response> pages = pages(admin, "/workspaces/" + ws + "/audit?limit=2");
        List<List<String>> rows = rows(pages);

        assertThat(rows.getFirst()).containsExactly("When", "Actor", "Actor id", "Action", "Target", "Details");
        assertThat(rows).hasSize(1 + api.auditCount(admin, ws));
        assertThat(pages).hasSizeGreaterThanOrEqualTo(3);
        assertThat(rows.get(1).get(3)).isEqualTo("member.invited");
        assertThat(rows.get(1).get(5)).contains("email=a3-" + suffix + "@example.com");
        List<String> times = rows.subList(1, rows.size()).stream().map(r -> r.getFirst()).toList();
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(rows.getLast().get(3)).isEqualTo("workspace.created");
    }

    @Test
    void theIdleExport_shouldHoldOnlyIdleSeats_withTheirIdleDays() throws Exception {
        String idle = invite("Idle Ivy", "ivy");
        past.licenseAt(admin, ws, idle, Instant.now().minus(Duration.ofDays(40)));
        invite("Busy Bea", "bea");

        List<List<String>> rows = rows(pages(admin, "/workspaces/" + ws + "/members?idle=true"));

        assertThat(rows).hasSize(2);
        assertThat(String.join("|", rows.get(1))).startsWith("Idle Ivy|ivy-" + suffix + "@example.com|INVITED|MEMBER||yes|")
                .endsWith("||40");
    }

    /** RFC 4180, as a spreadsheet reads it (quoted fields, doubled quotes, CRLF records). */
    static final class CsvReader {
        private CsvReader() {}

        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                    i++;
                } else {
                    throw new AssertionError("not RFC 4180 at " + i + ": " + text);
                }
            }
            if (!row.isEmpty() || field.length() > 0) {
                throw new AssertionError("the last record has no CRLF: " + text);
            }
            return rows;
        }
    }
}
