package dev.wsl.local.it;

import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the tests of the real LocalStack client against the runtime share: the runtime's gateway on
 * a loopback port, the client driving it, and before each test a fresh workspace with a 5-seat
 * Team subscription bought by its admin, who therefore holds a license.
 */
@ExtendWith(LocalRuntimeExtension.class)
abstract class LicensedWorkspaceFixture {
    protected final LocalStackRuntime runtime;
    protected final Api api;
    protected final Licenses licenses;
    protected final GatewayHttp http;
    protected final LocalStackClient client;
    protected Api.User admin;
    protected String ws;
    protected String adminMember;
    protected String suffix;

    LicensedWorkspaceFixture(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.http = GatewayHttp.shared(runtime);
        this.client = new LocalStackClient(http.baseUrl());
    }

    /** How the test's workspace and admin are named. */
    abstract String label();

    @BeforeEach
    void licensedWorkspace() {
        Licenses.Licensed w = licenses.licensedWorkspace(label());
        suffix = w.suffix();
        admin = w.admin();
        ws = w.ws();
        adminMember = w.adminMember();
    }
}
