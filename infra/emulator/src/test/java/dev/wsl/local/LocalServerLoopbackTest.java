package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The development helpers ({@code /local/…}: tokens, the outbox, billing events, parameters, schedules)
 * answer loopback peers only, decided on the connection's peer address ({@code LocalHelpersLoopbackIT}
 * checks it for real with the runtime bound to all interfaces).
 */
class LocalServerLoopbackTest {
    private static InetSocketAddress peer(String address) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(address), 50_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"})
    void loopbackPeers_shouldBeServed(String address) throws UnknownHostException {
        assertThat(LocalServer.servesDevelopmentHelpersTo(peer(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.2", "10.0.0.5", "172.17.0.1", "192.168.1.10", "0.0.0.0", "::", "fe80::1",
            "2001:db8::1", "::ffff:192.0.2.2", "169.254.169.254", "128.0.0.1"})
    void everyOtherPeer_shouldNotBe(String address) throws UnknownHostException {
        assertThat(LocalServer.servesDevelopmentHelpersTo(peer(address))).isFalse();
    }

    @org.junit.jupiter.api.Test
    void anUnknownPeer_shouldNotBeServed() {
        assertThat(LocalServer.servesDevelopmentHelpersTo(null)).isFalse();
        assertThat(LocalServer.servesDevelopmentHelpersTo(InetSocketAddress.createUnresolved("localhost", 1))).isFalse();
    }
}
