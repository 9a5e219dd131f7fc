package dev.chorus.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which hosts a webhook may be posted to: public ones, and the refused ranges only when allowed by name or address. */
class WebhookTargetsTest {

    private static final WebhookTargets DEFAULT = new WebhookTargets(List.of());

    @Test
    void everyRefusedRangeIsRefusedNamingTheAddressAndItsKind() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry("127.0.0.1", "127.0.0.1 is a loopback address"),
                Map.entry("[::1]", "0:0:0:0:0:0:0:1 is a loopback address"),
                Map.entry("169.254.169.254", "169.254.169.254 is a link-local address"),
                Map.entry("[fe80::1]", "is a link-local address"),
                Map.entry("10.1.2.3", "10.1.2.3 is a private address"),
                Map.entry("172.16.0.1", "172.16.0.1 is a private address"),
                Map.entry("172.31.255.254", "is a private address"),
                Map.entry("192.168.1.1", "192.168.1.1 is a private address"),
                Map.entry("100.64.0.1", "is a private address"),
                Map.entry("[fc00::]", "is a private address (IPv6 unique local, fc00::/7)"),
                Map.entry("[fd12:3456::1]", "is a private address (IPv6 unique local"),
                Map.entry("224.0.0.1", "224.0.0.1 is a multicast address"),
                Map.entry("[ff02::1]", "is a multicast address"),
                Map.entry("0.0.0.0", "0.0.0.0 is an unspecified address"),
                Map.entry("[::]", "is an unspecified address"),
                Map.entry("255.255.255.255", "is a broadcast address"),
                Map.entry("[::ffff:127.0.0.1]", "127.0.0.1 is a loopback address"),
                Map.entry("[::ffff:169.254.169.254]", "169.254.169.254 is a link-local address"),
                Map.entry("[64:ff9b::a00:1]", "is a private address"),
                Map.entry("2130706433", "127.0.0.1 is a loopback address"),
                Map.entry("localhost", "127.0.0.1 is a loopback address (localhost)"));
        refused.forEach((host, why) -> assertThatThrownBy(() -> DEFAULT.resolve("http://" + host + ":8080/hook"))
                .as(host).isInstanceOf(WebhookTargets.Refused.class).hasMessageStartingWith("refused: ")
                .hasMessageContaining(why));
    }

    @Test
    void publicAddressesPassAndTheTargetIsPinnedToTheCheckedAddress() throws Exception {
        for (String host : List.of("93.184.215.14", "8.8.8.8", "[2606:4700::1111]", "172.32.0.1", "100.128.0.1")) {
            WebhookTargets.Target t = DEFAULT.resolve("https://" + host + "/a/b?c=d%20e#frag");
            assertThat(t.addresses()).as(host).hasSize(1);
            assertThat(t.tls()).isTrue();
            assertThat(t.port()).isEqualTo(443);
            assertThat(t.requestTarget()).isEqualTo("/a/b?c=d%20e");
            assertThat(t.hostHeader()).isEqualTo(host);
        }
        assertThat(DEFAULT.resolve("http://8.8.8.8:8080").requestTarget()).isEqualTo("/");
        assertThat(DEFAULT.resolve("http://8.8.8.8:8080").hostHeader()).isEqualTo("8.8.8.8:8080");
    }

    @Test
    void anAllowedNameLetsItsAddressesThroughAndAnAllowedAddressItselfHoweverWritten() throws Exception {
        WebhookTargets byName = new WebhookTargets(List.of(" LocalHost "));
        assertThat(byName.resolve("http://localhost:9/hook").addresses()).allMatch(InetAddress::isLoopbackAddress);
        assertThatThrownBy(() -> byName.resolve("http://127.0.0.1:9/hook")).isInstanceOf(WebhookTargets.Refused.class);

        WebhookTargets byAddress = new WebhookTargets(List.of("127.0.0.1", "[fd00::5]"));
        byAddress.resolve("http://127.0.0.1:9/hook");
        byAddress.resolve("http://[::ffff:127.0.0.1]:9/hook");
        byAddress.resolve("http://[fd00:0::5]:9/hook");
        assertThatThrownBy(() -> byAddress.resolve("http://127.0.0.2:9/hook")).isInstanceOf(WebhookTargets.Refused.class);
        assertThatThrownBy(() -> new WebhookTargets(List.of("[not:an:ip"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chorus.webhooks.allowed-hosts");
    }

    @Test
    void aProblemIsWordedForAPersonAndAnUnresolvableHostIsLeftToTheDelivery() {
        assertThat(DEFAULT.problem("http://169.254.169.254/latest/meta-data/")).hasValueSatisfying(p -> assertThat(p)
                .startsWith("169.254.169.254 is a link-local address; ").contains("chorus.webhooks.allowed-hosts"));
        assertThat(DEFAULT.problem("https://hooks.invalid/chorus")).isEmpty();
        assertThat(DEFAULT.problem("https://8.8.8.8/chorus")).isEmpty();
        assertThat(DEFAULT.problem("ftp://8.8.8.8/")).isPresent();
        assertThat(WebhookTargets.where("https://hooks.example.com:8443/services/T000/B000/secret?token=x"))
                .isEqualTo("https://hooks.example.com:8443");
    }
}
