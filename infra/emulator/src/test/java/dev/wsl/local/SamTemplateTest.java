package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.local.SamTemplate.Route;
import dev.wsl.local.SamTemplate.TableDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamTemplateTest {

    private final SamTemplate template = TestTemplates.real();

    private static final Map<String, String> LOCAL = Map.of(
            "Table", "wsl-local",
            "JwtIssuer", "http://127.0.0.1:3000/local/issuer",
            "JwtAudience", "wsl-local,other",
            "SenderEmail", "no-reply@wsl.local",
            "AppBaseUrl", "http://127.0.0.1:3000");

    @Test
    void theConsolesClientId_mustBeEmptyOrOneOfTheAudiences_byTheTemplatesRule() {
        template.checkRules(Map.of("ConsoleClientId", "", "JwtAudience", "console,cli"));
        template.checkRules(Map.of("ConsoleClientId", "cli", "JwtAudience", "console,cli"));

        assertThatThrownBy(() -> template.checkRules(Map.of("ConsoleClientId", "another", "JwtAudience", "console,cli")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rule ConsoleClientIdIsAnAudience")
                .hasMessageContaining("must be empty (the first JwtAudience) or one of JwtAudience");
        assertThatThrownBy(() -> template.checkRules(Map.of("ConsoleClientId", "con", "JwtAudience", "console,cli")))
                .as("a member of the list, not a part of one").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyHttpApiEventIsARouteToItsHandlerClass() {
        List<Route> routes = template.routes();

        assertThat(routes).hasSize(74)
                .contains(new Route("POST", "/workspaces", "CreateWorkspaceFunction",
                                "dev.wsl.members.CreateWorkspaceHandler", "OidcAuthorizer"),
                        new Route("DELETE", "/workspaces/{workspaceId}/members/{memberId}", "RemoveMemberFunction",
                                "dev.wsl.members.RemoveMemberHandler", "OidcAuthorizer"),
                        new Route("POST", "/invitations/accept", "AcceptInvitationFunction",
                                "dev.wsl.members.AcceptInvitationHandler", "OidcAuthorizer"));
        assertThat(routes).filteredOn(r -> !r.authorized() && !r.pathTemplate().startsWith("/scim/v2/"))
                .extracting(Route::routeKey)
                .as("only the licensing protocol, which the credential in the body authenticates, the console's "
                        + "pages, which must load before anyone signs in, and SCIM, whose function checks the SCIM "
                        + "token, have no JWT")
                .containsExactlyInAnyOrder("POST /v1/license/request", "POST /v1/license/activate",
                        "POST /v1/license/grace-period-check", "GET /", "GET /accept-invitation", "GET /oidc/callback",
                        "GET /assets/{file+}");
        assertThat(routes).filteredOn(r -> r.pathTemplate().startsWith("/scim/v2/"))
                .as("every SCIM route goes to the SCIM function, without an authorizer at the gateway")
                .hasSize(18).allSatisfy(r -> {
                    assertThat(r.functionLogicalId()).isEqualTo("ScimFunction");
                    assertThat(r.authorized()).isFalse();
                });
        assertThat(routes).extracting(Route::routeKey).as("the rest of /scim/v2 reaches the SCIM function too, so "
                + "API Gateway never answers for it").contains("ANY /scim/v2/{proxy+}");
        assertThat(routes).filteredOn(r -> "TokenAuthorizer".equals(r.authorizer())).extracting(Route::routeKey)
                .containsExactly("GET /v1/license/info");
        assertThat(routes).extracting(Route::routeKey).doesNotHaveDuplicates();
    }

    @Test
    void theTableIsReadFromTheTemplate() {
        TableDefinition table = template.tableDefinition();

        assertThat(table.logicalId()).isEqualTo("Table");
        assertThat(table.billingMode()).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.keySchema()).containsExactly(
                new TableDefinition.KeyElement("PK", "HASH"), new TableDefinition.KeyElement("SK", "RANGE"));
        assertThat(table.attributes()).extracting(TableDefinition.Attribute::name)
                .containsExactly("PK", "SK", "GSI1PK", "GSI1SK", "ScimPK", "ScimSK");
        assertThat(table.globalSecondaryIndexes()).hasSize(2);
        assertThat(table.globalSecondaryIndexes().get(0)).satisfies(gsi -> {
            assertThat(gsi.name()).isEqualTo("GSI1");
            assertThat(gsi.keySchema()).containsExactly(
                    new TableDefinition.KeyElement("GSI1PK", "HASH"), new TableDefinition.KeyElement("GSI1SK", "RANGE"));
            assertThat(gsi.projectionType()).isEqualTo("ALL");
        });
        assertThat(table.globalSecondaryIndexes().get(1)).satisfies(gsi -> {
            assertThat(gsi.name()).isEqualTo("ScimIndex");
            assertThat(gsi.keySchema()).containsExactly(
                    new TableDefinition.KeyElement("ScimPK", "HASH"), new TableDefinition.KeyElement("ScimSK", "RANGE"));
            assertThat(gsi.projectionType()).isEqualTo("ALL");
        });
        assertThat(table.localSecondaryIndexes()).isEmpty();
        assertThat(table.streamViewType()).contains("NEW_AND_OLD_IMAGES");
        assertThat(table.ttlAttribute()).contains("ttl");
        assertThat(table.throughput()).isEmpty();
    }

    @Test
    void theOutboxRelayConsumesTheStreamWithItsFilterAndRetries() {
        assertThat(template.streamConsumers()).extracting(SamTemplate.StreamConsumer::functionLogicalId)
                .containsExactlyInAnyOrder("OutboxRelayFunction", "UsageDaysFunction");
        assertThat(template.streamConsumers()).filteredOn(c -> c.functionLogicalId().equals("OutboxRelayFunction"))
                .singleElement().satisfies(c -> {
            assertThat(c.functionLogicalId()).isEqualTo("OutboxRelayFunction");
            assertThat(c.handlerClass()).isEqualTo("dev.wsl.mailer.OutboxStreamHandler");
            assertThat(c.batchSize()).isEqualTo(10);
            assertThat(c.maximumRetryAttempts()).isEqualTo(3);
            assertThat(c.startingPosition()).isEqualTo("TRIM_HORIZON");
            assertThat(c.reportBatchItemFailures()).isTrue();
            assertThat(c.enabled()).isTrue();
            assertThat(c.filterPatterns()).singleElement().asString().contains("OUTBOX#");
            assertThat(c.bisectBatchOnFunctionError()).isTrue();
            assertThat(c.maximumRecordAgeInSeconds()).isEqualTo(3600);
            assertThat(c.onFailureQueue()).contains("OutboxStreamDLQ");
        });
    }

    /**
     * Usage over time (issue 21) follows activation's usage records and the pools through the stream, so that
     * activation writes nothing more: only inserts and changes of those two kinds of item reach the consumer.
     */
    @Test
    void theUsageDaysConsumerSeesOnlyUsageRecordsAndPools_andEndsInItsQueue() {
        assertThat(template.streamConsumers()).filteredOn(c -> c.functionLogicalId().equals("UsageDaysFunction"))
                .singleElement().satisfies(c -> {
                    assertThat(c.handlerClass()).isEqualTo("dev.wsl.licenses.UsageStreamHandler");
                    assertThat(c.reportBatchItemFailures()).isTrue();
                    assertThat(c.onFailureQueue()).contains("UsageDaysDLQ");
                    List<FilterPattern> filters = c.filterPatterns().stream().map(FilterPattern::parse).toList();
                    java.util.function.BiPredicate<String, String> accepted = (event, sk) -> filters.stream()
                            .anyMatch(f -> f.matches(Json.read("{\"eventName\":\"" + event + "\",\"dynamodb\":{\"Keys\":"
                                    + "{\"PK\":{\"S\":\"WS#ws_1\"},\"SK\":{\"S\":\"" + sk + "\"}}}}")));
                    assertThat(accepted.test("MODIFY", "USE#m_1")).isTrue();
                    assertThat(accepted.test("INSERT", "USE#ci_1")).isTrue();
                    assertThat(accepted.test("MODIFY", "LICENSES")).isTrue();
                    assertThat(accepted.test("REMOVE", "USE#m_1")).isFalse();
                    assertThat(accepted.test("MODIFY", "USAGEDAY#2026-01-01")).as("its own items").isFalse();
                    assertThat(accepted.test("INSERT", "USAGEMARK#2026-01-01#seat#m_1")).isFalse();
                    assertThat(accepted.test("MODIFY", "MEMBER#m_1")).isFalse();
                });
    }

    @Test
    void theSweepRunsEveryFiveMinutes_andTheSunsetDaily() {
        assertThat(template.scheduledFunctions()).hasSize(4);
        assertThat(template.scheduledFunctions()).filteredOn(s -> s.functionLogicalId().equals("ReclaimFunction"))
                .singleElement().satisfies(s -> {
                    assertThat(s.handlerClass()).isEqualTo("dev.wsl.licenses.ReclaimHandler");
                    assertThat(s.rate()).as("daily, on a cron expression").isEmpty();
                    assertThat(s.enabled()).isTrue();
                });
        assertThat(template.scheduledFunctions()).filteredOn(s -> s.functionLogicalId().equals("DomainCheckFunction"))
                .singleElement().satisfies(s -> {
                    assertThat(s.handlerClass()).isEqualTo("dev.wsl.members.DomainCheckHandler");
                    assertThat(s.rate()).as("daily, on a cron expression").isEmpty();
                    assertThat(s.enabled()).isTrue();
                });
        assertThat(template.scheduledFunctions()).filteredOn(s -> s.functionLogicalId().equals("OutboxSweepFunction"))
                .singleElement().satisfies(s -> {
                    assertThat(s.handlerClass()).isEqualTo("dev.wsl.mailer.OutboxSweepHandler");
                    assertThat(s.rate()).contains(Duration.ofMinutes(5));
                    assertThat(s.enabled()).isTrue();
                });
        assertThat(template.scheduledFunctions()).filteredOn(s -> s.functionLogicalId().equals("SunsetFunction"))
                .singleElement().satisfies(s -> {
                    assertThat(s.handlerClass()).isEqualTo("dev.wsl.sunset.SunsetHandler");
                    assertThat(s.rate()).isEmpty();
                    assertThat(s.enabled()).isTrue();
                });
    }

    @Test
    void billingEventsReachTheirFunctionThroughAnEventBridgeRuleOnTheBillingBus_notTheDefaultOne() {
        assertThat(template.eventRules()).singleElement().satisfies(rule -> {
            assertThat(rule.functionLogicalId()).isEqualTo("BillingEventsFunction");
            assertThat(rule.handlerClass()).isEqualTo("dev.wsl.licenses.BillingEventHandler");
            assertThat(rule.eventName()).isEqualTo("Billing");
            assertThat(rule.type()).isEqualTo("EventBridgeRule");
            assertThat(rule.defaultBus()).isFalse();
            assertThat(rule.eventBus()).isEqualTo("BillingEventBus");
            assertThat(rule.enabled()).isTrue();
            assertThat(rule.pattern()).isEqualTo(Map.of(
                    "source", List.of("wsl.billing"),
                    "detail-type", List.of("Subscription Purchased", "Subscription Changed",
                            "Subscription Renewed", "Subscription Expired")));
            assertThatThrownBy(() -> rule.pattern().put("x", List.of())).isInstanceOf(UnsupportedOperationException.class);
        });
    }

    /**
     * Billing is trusted by who sends, not by what it says (PRODUCT.md section 11): its bus admits the
     * BillingPrincipal parameter and denies everyone else, this account's principals too (same-account
     * callers are allowed by an identity policy alone unless the resource policy denies them).
     */
    @Test
    void theBillingBus_admitsOnlyTheBillingPrincipal_andDeniesEveryoneElse() {
        assertThat(template.resourceIdsOfType("AWS::Events::EventBus")).containsExactly("BillingEventBus");
        assertThat(template.eventBuses(Map.of("AWS::StackName", "wsl"))).containsExactly(Map.entry("BillingEventBus", "wsl-billing"));
        Map<String, Object> parameter = map(map(template.section("Parameters")).get("BillingPrincipal"));
        assertThat(parameter).doesNotContainKey("Default").containsEntry("Type", "String");
        java.util.regex.Pattern allowed = java.util.regex.Pattern.compile((String) parameter.get("AllowedPattern"));
        assertThat(List.of("123456789012", "arn:aws:iam::123456789012:role/billing",
                "arn:aws:iam::123456789012:role/service/billing-publisher", "arn:aws-us-gov:iam::123456789012:role/b"))
                .allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("*", "", "12345678901", "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:user/x",
                "arn:aws:iam::*:role/billing", "123456789012,210987654321"))
                .noneMatch(v -> allowed.matcher(v).matches());

        Map<String, Object> policy = map(properties("BillingEventBus").get("Policy"));
        List<?> statements = (List<?>) policy.get("Statement");
        Map<String, Object> busArn = Map.of("Fn::Sub",
                "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${AWS::StackName}-billing");
        assertThat(properties("BillingEventBus")).containsEntry("Name", Map.of("Fn::Sub", "${AWS::StackName}-billing"));
        assertThat(statements).hasSize(2);
        assertThat(map(statements.get(0))).containsEntry("Effect", "Allow")
                .containsEntry("Principal", Map.of("AWS", ref("BillingPrincipal")))
                .containsEntry("Action", "events:PutEvents").containsEntry("Resource", busArn)
                .doesNotContainKey("Condition");
        assertThat(map(statements.get(1))).containsEntry("Effect", "Deny").containsEntry("Principal", "*")
                .containsEntry("Action", "events:PutEvents").containsEntry("Resource", busArn)
                .containsEntry("Condition", Map.of("StringNotEquals", Map.of(
                        "aws:PrincipalArn", ref("BillingPrincipal"), "aws:PrincipalAccount", ref("BillingPrincipal"))));
        // Nothing else in the template may publish to it, nor does any other rule listen on the default bus.
        assertThat(template.eventRules()).noneMatch(SamTemplate.EventRule::defaultBus);
        assertThat(String.valueOf(template.resource("BillingEventsFunction"))).doesNotContain("events:PutEvents");
        assertThat(map(map(template.section("Outputs")).get("BillingEventBusArn")).get("Value"))
                .isEqualTo(getAtt("BillingEventBus", "Arn"));
    }

    /**
     * The Deny's two keys, as IAM evaluates a condition of one operator with two keys (all must match): the
     * principals each value of the parameter lets through, and those it denies.
     */
    @Test
    void theBillingBusDeny_letsThroughExactlyTheBillingPrincipal() {
        record Caller(String principalArn, String principalAccount) {}
        java.util.function.BiPredicate<String, Caller> denied = (billing, caller) ->
                !billing.equals(caller.principalArn()) && !billing.equals(caller.principalAccount());
        Caller billingRole = new Caller("arn:aws:iam::111111111111:role/billing", "111111111111");
        Caller otherRoleThere = new Caller("arn:aws:iam::111111111111:role/other", "111111111111");
        Caller thisAccountsAdmin = new Caller("arn:aws:iam::222222222222:role/admin", "222222222222");

        assertThat(denied.test("arn:aws:iam::111111111111:role/billing", billingRole)).isFalse();
        assertThat(denied.test("arn:aws:iam::111111111111:role/billing", otherRoleThere)).isTrue();
        assertThat(denied.test("arn:aws:iam::111111111111:role/billing", thisAccountsAdmin)).isTrue();
        assertThat(denied.test("111111111111", billingRole)).isFalse();
        assertThat(denied.test("111111111111", otherRoleThere)).isFalse();
        assertThat(denied.test("111111111111", thisAccountsAdmin)).isTrue();
    }

    @Test
    void environmentMergesGlobalsWithTheFunctionsOwnAndResolvesRefs() {
        assertThat(template.environment("InviteMemberFunction", LOCAL)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "TABLE_NAME", "wsl-local",
                "JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1",
                "INVITATION_TTL_DAYS", "7", "INVITATIONS_PER_RECIPIENT_PER_DAY", "5",
                "INVITATIONS_PER_WORKSPACE_PER_DAY", "50", "INVITATIONS_PER_SUBSCRIBED_WORKSPACE_PER_DAY", "500"));
        assertThat(template.environment("OutboxRelayFunction", LOCAL))
                .containsEntry("SENDER_EMAIL", "no-reply@wsl.local")
                .containsEntry("APP_BASE_URL", "http://127.0.0.1:3000")
                .containsEntry("TABLE_NAME", "wsl-local");
        assertThat(template.environment("InviteMemberFunction", Map.of("Table", "t", "InvitationTtlDays", "3")))
                .containsEntry("INVITATION_TTL_DAYS", "3");
        // SCIM's member service has the stack's invitation lifetime too, not one of its own (issue 19).
        assertThat(template.environment("ScimFunction", Map.of("Table", "t", "InvitationTtlDays", "3")))
                .containsEntry("INVITATION_TTL_DAYS", "3");
    }

    @Test
    void anEmptyAppBaseUrl_meansTheConsoleOnTheApisOwnUrl_andTheConsoleClientDefaultsToTheFirstAudience() {
        Map<String, String> deployed = new java.util.HashMap<>(LOCAL);
        deployed.put("AppBaseUrl", "");
        deployed.put("HttpApi", "a1b2c3");
        deployed.put("AWS::Region", "eu-west-1");
        deployed.put("AWS::URLSuffix", "amazonaws.com");
        assertThat(template.environment("OutboxRelayFunction", deployed))
                .containsEntry("APP_BASE_URL", "https://a1b2c3.execute-api.eu-west-1.amazonaws.com");
        assertThat(template.environment("OutboxSweepFunction", deployed))
                .containsEntry("APP_BASE_URL", "https://a1b2c3.execute-api.eu-west-1.amazonaws.com");
        assertThat(template.environment("ConsoleFunction", LOCAL))
                .containsEntry("CONSOLE_OIDC_ISSUER", "http://127.0.0.1:3000/local/issuer")
                .containsEntry("CONSOLE_OIDC_CLIENT_ID", "wsl-local")
                .containsEntry("CONSOLE_OIDC_SCOPES", "openid email profile")
                .containsEntry("CONSOLE_CONNECT_SOURCES", "");
        deployed.put("ConsoleClientId", "other");
        assertThat(template.environment("ConsoleFunction", deployed)).containsEntry("CONSOLE_OIDC_CLIENT_ID", "other");
    }

    @Test
    void fnIf_resolvesOnlyTheBranchItsConditionChooses() {
        SamTemplate t = SamTemplate.parse("""
                Parameters:
                  Stage: {Type: String, Default: dev}
                  Url: {Type: String, Default: ""}
                Conditions:
                  IsProd: !Equals [!Ref Stage, prod]
                  HasUrl: !Not [!Equals [!Ref Url, ""]]
                  ProdWithUrl: !And [!Condition IsProd, !Condition HasUrl]
                  EitherOne: !Or [!Condition IsProd, !Condition HasUrl]
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Environment:
                        Variables:
                          MODE: !If [IsProd, production, development]
                          URL: !If [HasUrl, !Ref Url, !Ref Unresolvable]
                          BOTH: !If [ProdWithUrl, both, neither]
                          EITHER: !If [EitherOne, one, none]
                """);
        assertThat(t.environment("Fn", Map.of("Url", "https://x"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "MODE", "development", "URL", "https://x", "BOTH", "neither", "EITHER", "one"));
        assertThat(t.environment("Fn", Map.of("Url", "https://x", "Stage", "prod")))
                .containsEntry("MODE", "production").containsEntry("BOTH", "both");
        // The branch not taken is never resolved; the one taken must be.
        assertThatThrownBy(() -> t.environment("Fn", Map.of())).hasMessageContaining("Unresolvable");
    }

    @Test
    void anUnresolvableRefNamesTheVariable() {
        assertThatThrownBy(() -> template.environment("OutboxRelayFunction", Map.of("Table", "t")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SENDER_EMAIL");
    }

    @Test
    void functionSettingsFallBackToGlobals() {
        assertThat(template.functionIds()).hasSize(47);
        assertThat(template.handlerClass("ListAuditFunction")).isEqualTo("dev.wsl.members.ListAuditHandler");
        assertThat(template.timeout("OutboxSweepFunction")).isEqualTo(Duration.ofSeconds(120));
        assertThat(template.timeout("GetMemberFunction")).isEqualTo(Duration.ofSeconds(15));
        assertThat(template.memorySize("GetMemberFunction")).isEqualTo(1024);
        assertThat(template.parameterDefaults()).containsOnly(Map.entry("InvitationTtlDays", "7"),
                Map.entry("InvitationsPerRecipientPerDay", "5"), Map.entry("InvitationsPerWorkspacePerDay", "50"),
                Map.entry("InvitationsPerSubscribedWorkspacePerDay", "500"),
                Map.entry("ReactivateAfter", "PT24H"), Map.entry("SunsetAnnouncement", ""),
                Map.entry("SunsetBrownouts", ""), Map.entry("SunsetCutoff", ""), Map.entry("SunsetCleanupDays", "30"),
                Map.entry("SunsetNoticeDays", "14"), Map.entry("ReclaimNoticeDays", "7"), Map.entry("AlarmEmail", ""),
                Map.entry("ActivationP99Milliseconds", "1000"), Map.entry("ApiThrottleRateLimit", "100"),
                Map.entry("ApiThrottleBurstLimit", "200"), Map.entry("LicenseThrottleRateLimit", "250"),
                Map.entry("LicenseThrottleBurstLimit", "1000"), Map.entry("LicenseSourceRateLimit", "20"),
                Map.entry("LicenseSourceBurstLimit", "100"), Map.entry("AccessLogRetentionDays", "30"),
                Map.entry("FunctionLogRetentionDays", "30"), Map.entry("FunctionTracing", "Disabled"),
                Map.entry("AppBaseUrl", ""), Map.entry("ConsoleClientId", ""),
                Map.entry("ConsoleScopes", "openid email profile"), Map.entry("ConsoleConnectSources", ""),
                Map.entry("ScimGuardMinimum", "5"), Map.entry("ScimGuardPercent", "20"), Map.entry("DnsResolver", ""));
    }

    @Test
    void theJwtAuthorizerAndSenderIdentityAreResolved() {
        assertThat(template.jwtConfiguration(LOCAL)).hasValueSatisfying(jwt -> {
            assertThat(jwt.authorizerName()).isEqualTo("OidcAuthorizer");
            assertThat(jwt.identityHeader()).isEqualTo("authorization");
            assertThat(jwt.issuer()).isEqualTo("http://127.0.0.1:3000/local/issuer");
            assertThat(jwt.audiences()).containsExactly("wsl-local", "other");
        });
        assertThat(template.emailIdentities(LOCAL)).containsExactly("no-reply@wsl.local");
    }

    @Test
    void shortFormTagsBecomeLongFormMaps() {
        SamTemplate t = SamTemplate.parse("""
                Parameters:
                  Stage: {Type: String, Default: dev}
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      Environment:
                        Variables:
                          ARN: !GetAtt Table.Arn
                          LONG_ARN: !GetAtt [Table, StreamArn]
                          SUB: !Sub "${Stage}-${AWS::Region}-${!Literal}"
                          SUB_VARS: !Sub
                            - "${Name}/${Stage}"
                            - Name: !Ref Other
                          JOINED: !Join [":", [a, !Ref Stage, c]]
                          PICKED: !Select [1, !Split [",", "x,y,z"]]
                """);
        Map<String, String> values = Map.of("Table.Arn", "arn:table", "Table.StreamArn", "arn:stream",
                "AWS::Region", "us-east-1", "Other", "o");

        assertThat(t.environment("Fn", values)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ARN", "arn:table",
                "LONG_ARN", "arn:stream",
                "SUB", "dev-us-east-1-${Literal}",
                "SUB_VARS", "o/dev",
                "JOINED", "a:dev:c",
                "PICKED", "y"));
    }

    @Test
    void unsupportedIntrinsicsAreRejectedNotGuessed() {
        SamTemplate t = SamTemplate.parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Environment:
                        Variables:
                          X: !ImportValue shared-topic
                """);
        assertThatThrownBy(() -> t.environment("Fn", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Fn::ImportValue");
        assertThat(t.handlerClass("Fn")).isEqualTo("a.B");
    }

    @Test
    void routesWithAuthorizerNoneOrWithoutADefaultAuthorizerAreOpen() {
        SamTemplate t = TestTemplates.test();
        assertThat(t.routes()).filteredOn(r -> r.pathTemplate().equals("/public"))
                .singleElement().extracting(Route::authorized).isEqualTo(false);
        assertThat(t.routes()).filteredOn(r -> r.pathTemplate().equals("/items/{itemId}"))
                .singleElement().extracting(Route::authorized).isEqualTo(true);

        SamTemplate noDefault = SamTemplate.parse("""
                Resources:
                  Api:
                    Type: AWS::Serverless::HttpApi
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      Events:
                        Get:
                          Type: HttpApi
                          Properties: {ApiId: !Ref Api, Method: get, Path: /x}
                """);
        assertThat(noDefault.routes()).containsExactly(new Route("GET", "/x", "Fn", "a.B", null));
        assertThat(noDefault.jwtConfiguration(Map.of())).isEmpty();
    }

    @Test
    void duplicateKeysAreAnError() {
        assertThatThrownBy(() -> SamTemplate.parse("Resources: {}\nResources: {}\n")).hasMessageContaining("Resources");
    }

    // ------------------------------------------------------------------ operating it (docs/operations.md)

    private static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }

    private static Map<String, Object> getAtt(String logicalId, String attribute) {
        return Map.of("Fn::GetAtt", List.of(logicalId, attribute));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private Map<String, Object> properties(String logicalId) {
        return map(template.resource(logicalId).get("Properties"));
    }

    @Test
    void onlyTheUpgradeBackfillMayScan_andOnlyAnOperatorInvokesIt() {
        for (String function : template.functionIds()) {
            assertThat(String.valueOf(properties(function).get("Policies"))).as("policies of %s", function)
                    .satisfies(policies -> {
                        if (function.equals("BackfillFunction")) {
                            assertThat(policies).contains("dynamodb:Scan");
                        } else {
                            assertThat(policies).doesNotContain("dynamodb:Scan");
                        }
                    });
        }
        assertThat(template.operatorFunctions()).containsExactly("BackfillFunction");
        assertThat(template.handlerClass("BackfillFunction")).isEqualTo("dev.wsl.licenses.BackfillHandler");
        assertThat(template.timeout("BackfillFunction")).isEqualTo(Duration.ofSeconds(900));
        assertThat(template.environment("BackfillFunction", LOCAL))
                .containsEntry("BACKFILL_RESERVE_SECONDS", "60");
    }

    @Test
    void everyFunctionIsBuiltByMakeFromTheModuleThatHoldsItsHandler() {
        Path root = TestTemplates.realPath().toAbsolutePath().getParent();
        for (String function : template.functionIds()) {
            assertThat(template.resource(function).get("Metadata")).as("Metadata of %s", function)
                    .isEqualTo(Map.of("BuildMethod", "makefile"));
            String codeUri = template.codeUri(function);
            assertThat(codeUri).as("CodeUri of %s", function).matches("functions/[a-z][a-z0-9-]*");
            assertThat(root.resolve(codeUri).resolve("Makefile")).as("the Makefile sam build runs for %s", function)
                    .isRegularFile();
            assertThat(root.resolve(codeUri).resolve("src/main/java")
                    .resolve(template.handlerClass(function).replace('.', '/') + ".java"))
                    .as("handler of %s in its CodeUri module", function).isRegularFile();
        }
    }

    @Test
    void everyFunctionHasAnErrorsAndAThrottlesAlarm_andEveryAlarmNotifiesTheAlarmTopic() {
        Map<String, List<String>> lambdaAlarms = new java.util.HashMap<>();
        for (String alarm : template.resourceIdsOfType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> p = properties(alarm);
            assertThat(p.get("AlarmActions")).as("AlarmActions of %s", alarm).isEqualTo(List.of(ref("AlarmTopic")));
            assertThat(p.get("OKActions")).as("OKActions of %s", alarm).isEqualTo(List.of(ref("AlarmTopic")));
            if ("AWS/Lambda".equals(p.get("Namespace")) && p.get("Dimensions") instanceof List<?> dimensions
                    && dimensions.size() == 1 && map(dimensions.getFirst()).get("Name").equals("FunctionName")) {
                Object function = map(map(dimensions.getFirst()).get("Value")).get("Ref");
                lambdaAlarms.computeIfAbsent((String) function, f -> new java.util.ArrayList<>()).add((String) p.get("MetricName"));
                assertThat(p.get("TreatMissingData")).isEqualTo("notBreaching");
            }
        }
        for (String function : template.functionIds()) {
            assertThat(lambdaAlarms.get(function)).as("alarms on %s (copy a neighbour's pair)", function)
                    .contains("Errors", "Throttles");
        }
        assertThat(lambdaAlarms.get("ActivationFunction")).containsExactlyInAnyOrder("Errors", "Throttles", "Duration");
        assertThat(properties("ActivationLatencyAlarm")).containsEntry("ExtendedStatistic", "p99")
                .containsEntry("Threshold", ref("ActivationP99Milliseconds"));
        assertThat(properties("Api5xxAlarm")).containsEntry("Namespace", "AWS/ApiGateway").containsEntry("MetricName", "5xx")
                .containsEntry("Dimensions", List.of(Map.of("Name", "ApiId", "Value", ref("HttpApi"))));
        // the contract with the mailer's embedded metrics (docs/operations.md, "Metrics the alarms read")
        assertThat(properties("InvitationEmailsDeadAlarm")).containsEntry("Namespace", "WorkspaceLicenses")
                .containsEntry("MetricName", "InvitationEmailsDead")
                .containsEntry("Dimensions", List.of(Map.of("Name", "Service", "Value", "mailer")));
        assertThat(template.resource("AlarmEmailSubscription")).containsEntry("Condition", "HasAlarmEmail");
        assertThat(properties("AlarmEmailSubscription")).containsEntry("TopicArn", ref("AlarmTopic"))
                .containsEntry("Endpoint", ref("AlarmEmail"));
    }

    @Test
    void everyAsynchronousSourceRetriesABoundedNumberOfTimes_andEndsInADeadLetterQueue() {
        for (SamTemplate.StreamConsumer c : template.streamConsumers()) {
            assertThat(c.onFailureQueue()).as("on-failure queue of %s", c.functionLogicalId()).isPresent();
            assertThat(c.bisectBatchOnFunctionError()).isTrue();
            assertThat(c.maximumRetryAttempts()).isBetween(0, 10);
            assertThat(c.maximumRecordAgeInSeconds()).isBetween(60, 86_400);
        }
        List<String> asyncFunctions = new java.util.ArrayList<>();
        for (String function : template.functionIds()) {
            Map<String, Object> events = map(properties(function).getOrDefault("Events", Map.of()));
            events.forEach((name, event) -> {
                Object type = map(event).get("Type");
                if (!List.of("EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2").contains(type)) {
                    return;
                }
                asyncFunctions.add(function);
                Map<String, Object> p = map(map(event).get("Properties"));
                if ("ScheduleV2".equals(type)) {
                    assertThat(p).as("%s.%s: a generated schedule name, unique per stack", function, name)
                            .containsEntry("OmitName", true);
                }
                assertThat(map(p.get("RetryPolicy"))).as("RetryPolicy of %s.%s", function, name)
                        .containsKeys("MaximumRetryAttempts", "MaximumEventAgeInSeconds");
                Object deadLetters = map(p.get("DeadLetterConfig")).get("Arn");
                SamTemplate.AsyncInvokeConfig invokeConfig = template.asyncInvokeConfig(function);
                assertThat(invokeConfig.onFailureQueue()).as("EventInvokeConfig on-failure queue of %s", function)
                        .isPresent();
                assertThat(deadLetters).as("the event's DLQ is the function's on-failure queue (%s.%s)", function, name)
                        .isEqualTo(getAtt(invokeConfig.onFailureQueue().get(), "Arn"));
                assertThat(invokeConfig.maximumRetryAttempts()).isBetween(0, 2);
            });
        }
        assertThat(asyncFunctions).containsExactlyInAnyOrder("BillingEventsFunction", "OutboxSweepFunction", "SunsetFunction",
                "DomainCheckFunction", "ReclaimFunction");
        assertThat(template.asyncInvokeConfig("ActivationFunction"))
                .isEqualTo(new SamTemplate.AsyncInvokeConfig(2, 21_600, java.util.Optional.empty()));
        // EventBridge sends to a rule's DLQ as a service: the queue's policy lets only the billing rule.
        Map<String, Object> statement = map(((List<?>) map(properties("BillingEventsDLQPolicy").get("PolicyDocument"))
                .get("Statement")).getFirst());
        assertThat(statement).containsEntry("Principal", Map.of("Service", "events.amazonaws.com"))
                .containsEntry("Action", "sqs:SendMessage")
                .containsEntry("Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", getAtt("BillingEventsFunctionBilling", "Arn"))));
    }

    @Test
    void everyQueueIsEncryptedKeptTwoWeeksAndAlarmedOnAsSoonAsItHoldsAMessage() {
        List<String> queues = template.queues();
        assertThat(queues).containsExactlyInAnyOrder("OutboxStreamDLQ", "BillingEventsDLQ", "OutboxSweepDLQ", "SunsetDLQ",
                "DomainCheckDLQ", "ReclaimDLQ", "UsageDaysDLQ");
        for (String queue : queues) {
            assertThat(properties(queue)).as("%s", queue).containsEntry("SqsManagedSseEnabled", true)
                    .containsEntry("MessageRetentionPeriod", 1_209_600);
            assertThat(template.resourceIdsOfType("AWS::CloudWatch::Alarm")).as("alarm on %s", queue)
                    .anySatisfy(alarm -> assertThat(properties(alarm))
                            .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
                            .containsEntry("Dimensions", List.of(Map.of("Name", "QueueName", "Value", getAtt(queue, "QueueName"))))
                            .containsEntry("Threshold", 1));
        }
    }

    @Test
    void theUnauthenticatedLicensingRoutesAreThrottledTighter_andAccessLogsHoldNoBodiesHeadersOrQueries() {
        Map<String, Object> api = properties("HttpApi");
        // Every route of the licensing protocol and the platform calls (/v1/license/*): what LocalStack
        // instances call, mostly without a JWT; the console's pages keep the default.
        List<String> openRoutes = template.routes().stream().filter(r -> r.pathTemplate().startsWith("/v1/license/"))
                .map(Route::routeKey).toList();
        assertThat(map(api.get("RouteSettings"))).as("a route setting per /v1/license/* route")
                .containsOnlyKeys(openRoutes.toArray(String[]::new))
                .allSatisfy((route, settings) -> assertThat(settings).isEqualTo(Map.of(
                        "ThrottlingRateLimit", ref("LicenseThrottleRateLimit"),
                        "ThrottlingBurstLimit", ref("LicenseThrottleBurstLimit"))));
        assertThat(api.get("DefaultRouteSettings")).isEqualTo(Map.of(
                "ThrottlingRateLimit", ref("ApiThrottleRateLimit"), "ThrottlingBurstLimit", ref("ApiThrottleBurstLimit")));

        Map<String, Object> accessLog = map(api.get("AccessLogSettings"));
        assertThat(accessLog.get("DestinationArn")).isEqualTo(getAtt("ApiAccessLogs", "Arn"));
        assertThat(properties("ApiAccessLogs")).containsEntry("RetentionInDays", ref("AccessLogRetentionDays"));
        String format = (String) accessLog.get("Format");
        java.util.regex.Matcher variables = java.util.regex.Pattern.compile("\\$[a-zA-Z][\\w.]*").matcher(format);
        List<String> used = new java.util.ArrayList<>();
        while (variables.find()) {
            used.add(variables.group());
        }
        // Only these: none carries a body, a header, a query string or a path with a token in it.
        assertThat(used).isSubsetOf("$context.requestId", "$context.requestTimeEpoch", "$context.routeKey",
                        "$context.status", "$context.protocol", "$context.responseLength", "$context.responseLatency",
                        "$context.integrationLatency", "$context.integrationStatus", "$context.integrationErrorMessage",
                        "$context.authorizer.error", "$context.error.message", "$context.identity.sourceIp")
                .contains("$context.requestId", "$context.routeKey", "$context.status", "$context.responseLatency",
                        "$context.identity.sourceIp", "$context.integrationErrorMessage");
        var line = Json.read(format.replaceAll("\\$[a-zA-Z][\\w.]*", "x"));
        assertThat(line.isObject()).as("one JSON object per request: %s", format).isTrue();
        assertThat(line.size()).isEqualTo(used.size());
    }

    @Test
    void everyFunctionLogsJson_atInfo_intoTheStacksLogGroup_keptForTheRetentionParameter() {
        Map<String, Object> globals = map(template.copyOfSection("Globals").get("Function"));
        // INFO: the summary lines are INFO and carry the embedded metrics, which a higher level would drop.
        assertThat(globals.get("LoggingConfig")).isEqualTo(Map.of("LogFormat", "JSON", "ApplicationLogLevel", "INFO",
                "SystemLogLevel", "INFO", "LogGroup", ref("FunctionLogs")));
        for (String function : template.functionIds()) {
            assertThat(map(template.resource(function).get("Properties"))).as("%s takes Globals' LoggingConfig", function)
                    .doesNotContainKey("LoggingConfig");
        }
        assertThat(template.resource("FunctionLogs")).containsEntry("Type", "AWS::Logs::LogGroup");
        assertThat(properties("FunctionLogs")).containsEntry("RetentionInDays", ref("FunctionLogRetentionDays"));
        assertThat(map(template.copyOfSection("Parameters").get("FunctionLogRetentionDays"))).containsEntry("Default", 30);
    }

    @Test
    void theHotPath_runsTheDefaultJitPrimedForItsSnapshot_andEveryOtherFunctionC1Only() {
        // docs/benchmarks.md, "The JIT decision"
        Set<String> hot = Set.of("ActivationFunction", "TokenAuthorizerFunction");
        Map<String, Object> globals = map(map(map(template.copyOfSection("Globals").get("Function")).get("Environment"))
                .get("Variables"));
        for (String function : template.functionIds()) {
            Map<String, Object> environment = new HashMap<>(globals);
            Object own = properties(function).get("Environment");
            if (own != null) {
                environment.putAll(map(map(own).get("Variables")));
            }
            if (hot.contains(function)) {
                assertThat((String) environment.get("JAVA_TOOL_OPTIONS")).as(function).doesNotContain("TieredStopAtLevel");
                assertThat(Integer.parseInt((String) environment.get("PRIMING_INVOCATIONS"))).as(function)
                        .isGreaterThanOrEqualTo(1000);
            } else {
                assertThat(environment).as(function)
                        .containsEntry("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1")
                        .doesNotContainKey("PRIMING_INVOCATIONS");
            }
        }
    }

    @Test
    void everyAlarmOnOurNamespace_readsAMetricTheFunctionsEmit_withExactlyItsDimensions() {
        List<String> ours = template.resourceIdsOfType("AWS::CloudWatch::Alarm").stream()
                .filter(alarm -> dev.wsl.telemetry.Metric.NAMESPACE.equals(properties(alarm).get("Namespace"))).toList();
        assertThat(ours).contains("InvitationEmailsDeadAlarm");
        for (String alarm : ours) {
            Map<String, Object> p = properties(alarm);
            dev.wsl.telemetry.Metric metric = java.util.Arrays.stream(dev.wsl.telemetry.Metric.values())
                    .filter(m -> m.metricName().equals(p.get("MetricName"))).findFirst()
                    .orElseThrow(() -> new AssertionError(alarm + " reads " + p.get("MetricName") + ", which no function emits"));
            List<?> dimensions = (List<?>) p.get("Dimensions");
            assertThat(dimensions.stream().map(d -> map(d).get("Name")).toList()).as("dimensions of %s", alarm)
                    .isEqualTo(metric.dimensions());
            assertThat(map(dimensions.getFirst()).get("Value")).isEqualTo(metric.service());
        }
    }

    @Test
    void tracingIsATemplateParameter_offByDefault() {
        assertThat(map(template.copyOfSection("Globals").get("Function"))).containsEntry("Tracing", ref("FunctionTracing"));
        assertThat(map(template.copyOfSection("Parameters").get("FunctionTracing")))
                .containsEntry("Default", "Disabled").containsEntry("AllowedValues", List.of("Disabled", "Active"));
    }

    @Test
    void onFailureDestinationsMustBeQueuesOfTheTemplate() {
        String function = """
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      EventInvokeConfig:
                        DestinationConfig:
                          OnFailure: %s
                """;
        assertThat(SamTemplate.parse(function.formatted("{Type: SQS, Destination: !GetAtt Q.Arn}")).asyncInvokeConfig("Fn"))
                .isEqualTo(new SamTemplate.AsyncInvokeConfig(2, 21_600, java.util.Optional.of("Q")));
        assertThatThrownBy(() -> SamTemplate.parse(function.formatted("{Type: SQS, Destination: arn:aws:sqs:us-east-1:1:q}"))
                .asyncInvokeConfig("Fn")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("!GetAtt");
        assertThatThrownBy(() -> SamTemplate.parse(function.formatted("{Type: SNS, Destination: !Ref Q}"))
                .asyncInvokeConfig("Fn")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SNS");
    }

    @Test
    void theTokenAuthorizer_isALambdaAuthorizerOfThePublishedAlias_withoutIdentitySourceOrCache() {
        assertThat(template.lambdaAuthorizers()).containsOnlyKeys("TokenAuthorizer");
        SamTemplate.LambdaAuthorizer token = template.lambdaAuthorizers().get("TokenAuthorizer");
        assertThat(token.functionLogicalId()).isEqualTo("TokenAuthorizerFunction");
        assertThat(token.identitySources()).as("the client's two header forms are alternatives").isEmpty();
        assertThat(token.ttl()).as("a revoked credential is refused at its next call").isZero();
        assertThat(template.handlerClass("TokenAuthorizerFunction")).isEqualTo("dev.wsl.activation.TokenAuthorizerHandler");
    }

    @Test
    void lambdaAuthorizersAreReadWithTheirIdentitySourcesAndCache() {
        Map<String, SamTemplate.LambdaAuthorizer> authorizers = TestTemplates.test().lambdaAuthorizers();

        assertThat(authorizers).containsOnlyKeys("Keyed", "Cached", "Open");
        assertThat(authorizers.get("Keyed")).isEqualTo(new SamTemplate.LambdaAuthorizer("Keyed", "KeyAuthorizerFunction",
                List.of("$request.header.x-api-key"), Duration.ZERO));
        assertThat(authorizers.get("Cached")).isEqualTo(new SamTemplate.LambdaAuthorizer("Cached",
                "StreamAuthorizerFunction", List.of("$request.header.x-pass", "$request.querystring.tenant"),
                Duration.ofMinutes(5)));
        assertThat(authorizers.get("Open").identitySources()).isEmpty();
        assertThat(TestTemplates.test().routes()).filteredOn(r -> r.pathTemplate().equals("/keyed/{id}"))
                .singleElement().extracting(Route::authorizer).isEqualTo("Keyed");
    }

    @Test
    void lambdaAuthorizersTheLocalGatewayCannotRunAsApiGatewayDoes_areRefusedByName() {
        Map<String, String> unsupported = Map.of(
                "FunctionArn: arn:aws:lambda:us-east-1:123456789012:function:elsewhere\n        AuthorizerPayloadFormatVersion:"
                        + " \"2.0\"\n        EnableSimpleResponses: true", "FunctionArn",
                "FunctionArn: !GetAtt Auth.Arn\n        AuthorizerPayloadFormatVersion: \"1.0\"", "2.0",
                "FunctionArn: !GetAtt Auth.Arn\n        AuthorizerPayloadFormatVersion: \"2.0\"", "simple responses",
                "FunctionArn: !GetAtt Auth.Arn\n        AuthorizerPayloadFormatVersion: \"2.0\"\n        EnableSimpleResponses: true"
                        + "\n        Identity: {Context: [requestId]}", "Identity.Context",
                "FunctionArn: !GetAtt Auth.Arn\n        AuthorizerPayloadFormatVersion: \"2.0\"\n        EnableSimpleResponses: true"
                        + "\n        Identity: {ReauthorizeEvery: 60}", "identity sources");
        unsupported.forEach((declaration, complaint) -> {
            SamTemplate t = SamTemplate.parse("""
                    Resources:
                      Api:
                        Type: AWS::Serverless::HttpApi
                        Properties:
                          Auth:
                            Authorizers:
                              Mine:
                                %s
                      Auth:
                        Type: AWS::Serverless::Function
                        Properties: {Handler: a.B::handleRequest}
                    """.formatted(declaration.replace("\n        ", "\n            ")));
            assertThatThrownBy(t::lambdaAuthorizers).as(declaration).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Mine").hasMessageContaining(complaint);
        });
    }
}
