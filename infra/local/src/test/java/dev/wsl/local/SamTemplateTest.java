package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.local.SamTemplate.Route;
import dev.wsl.local.SamTemplate.TableDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    void everyHttpApiEventIsARouteToItsHandlerClass() {
        List<Route> routes = template.routes();

        assertThat(routes).hasSize(29)
                .contains(new Route("POST", "/workspaces", "CreateWorkspaceFunction",
                                "dev.wsl.members.CreateWorkspaceHandler", true),
                        new Route("DELETE", "/workspaces/{workspaceId}/members/{memberId}", "RemoveMemberFunction",
                                "dev.wsl.members.RemoveMemberHandler", true),
                        new Route("POST", "/invitations/accept", "AcceptInvitationFunction",
                                "dev.wsl.members.AcceptInvitationHandler", true));
        assertThat(routes).filteredOn(r -> !r.authorized()).extracting(Route::routeKey)
                .as("only the licensing protocol, which the credential in the body authenticates, and the console's "
                        + "pages, which must load before anyone signs in, have no JWT")
                .containsExactlyInAnyOrder("POST /v1/license/request", "POST /v1/license/activate", "GET /",
                        "GET /accept-invitation", "GET /oidc/callback", "GET /assets/{file+}");
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
                .containsExactly("PK", "SK", "GSI1PK", "GSI1SK");
        assertThat(table.globalSecondaryIndexes()).singleElement().satisfies(gsi -> {
            assertThat(gsi.name()).isEqualTo("GSI1");
            assertThat(gsi.keySchema()).containsExactly(
                    new TableDefinition.KeyElement("GSI1PK", "HASH"), new TableDefinition.KeyElement("GSI1SK", "RANGE"));
            assertThat(gsi.projectionType()).isEqualTo("ALL");
        });
        assertThat(table.localSecondaryIndexes()).isEmpty();
        assertThat(table.streamViewType()).contains("NEW_AND_OLD_IMAGES");
        assertThat(table.ttlAttribute()).contains("ttl");
        assertThat(table.throughput()).isEmpty();
    }

    @Test
    void theOutboxRelayConsumesTheStreamWithItsFilterAndRetries() {
        assertThat(template.streamConsumers()).singleElement().satisfies(c -> {
            assertThat(c.functionLogicalId()).isEqualTo("OutboxRelayFunction");
            assertThat(c.handlerClass()).isEqualTo("dev.wsl.mailer.OutboxStreamHandler");
            assertThat(c.batchSize()).isEqualTo(10);
            assertThat(c.maximumRetryAttempts()).isEqualTo(3);
            assertThat(c.startingPosition()).isEqualTo("TRIM_HORIZON");
            assertThat(c.reportBatchItemFailures()).isTrue();
            assertThat(c.enabled()).isTrue();
            assertThat(c.filterPatterns()).singleElement().asString().contains("OUTBOX#");
        });
    }

    @Test
    void theSweepRunsEveryFiveMinutes_andTheSunsetDaily() {
        assertThat(template.scheduledFunctions()).hasSize(2);
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
    void billingEventsReachTheirFunctionThroughAnEventBridgeRuleOnTheDefaultBus() {
        assertThat(template.eventRules()).singleElement().satisfies(rule -> {
            assertThat(rule.functionLogicalId()).isEqualTo("BillingEventsFunction");
            assertThat(rule.handlerClass()).isEqualTo("dev.wsl.licenses.BillingEventHandler");
            assertThat(rule.eventName()).isEqualTo("Billing");
            assertThat(rule.type()).isEqualTo("EventBridgeRule");
            assertThat(rule.defaultBus()).isTrue();
            assertThat(rule.enabled()).isTrue();
            assertThat(rule.pattern()).isEqualTo(Map.of(
                    "source", List.of("wsl.billing"),
                    "detail-type", List.of("Subscription Purchased", "Subscription Changed",
                            "Subscription Renewed", "Subscription Expired")));
            assertThatThrownBy(() -> rule.pattern().put("x", List.of())).isInstanceOf(UnsupportedOperationException.class);
        });
    }

    @Test
    void environmentMergesGlobalsWithTheFunctionsOwnAndResolvesRefs() {
        assertThat(template.environment("InviteMemberFunction", LOCAL)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "TABLE_NAME", "wsl-local",
                "JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1",
                "INVITATION_TTL_DAYS", "7"));
        assertThat(template.environment("OutboxRelayFunction", LOCAL))
                .containsEntry("SENDER_EMAIL", "no-reply@wsl.local")
                .containsEntry("APP_BASE_URL", "http://127.0.0.1:3000")
                .containsEntry("TABLE_NAME", "wsl-local");
        assertThat(template.environment("InviteMemberFunction", Map.of("Table", "t", "InvitationTtlDays", "3")))
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
        assertThat(template.functionIds()).hasSize(29);
        assertThat(template.handlerClass("ListAuditFunction")).isEqualTo("dev.wsl.members.ListAuditHandler");
        assertThat(template.timeout("OutboxSweepFunction")).isEqualTo(Duration.ofSeconds(120));
        assertThat(template.timeout("GetMemberFunction")).isEqualTo(Duration.ofSeconds(15));
        assertThat(template.memorySize("GetMemberFunction")).isEqualTo(1024);
        assertThat(template.parameterDefaults()).containsOnly(Map.entry("InvitationTtlDays", "7"),
                Map.entry("ReactivateAfter", "PT24H"), Map.entry("SunsetAnnouncement", ""),
                Map.entry("SunsetBrownouts", ""), Map.entry("SunsetCutoff", ""), Map.entry("SunsetCleanupDays", "30"),
                Map.entry("SunsetNoticeDays", "14"), Map.entry("AppBaseUrl", ""), Map.entry("ConsoleClientId", ""),
                Map.entry("ConsoleScopes", "openid email profile"), Map.entry("ConsoleConnectSources", ""));
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
        assertThat(noDefault.routes()).containsExactly(new Route("GET", "/x", "Fn", "a.B", false));
        assertThat(noDefault.jwtConfiguration(Map.of())).isEmpty();
    }

    @Test
    void duplicateKeysAreAnError() {
        assertThatThrownBy(() -> SamTemplate.parse("Resources: {}\nResources: {}\n")).hasMessageContaining("Resources");
    }
}
