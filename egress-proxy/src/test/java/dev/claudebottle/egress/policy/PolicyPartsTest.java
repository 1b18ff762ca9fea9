package dev.claudebottle.egress.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.claudebottle.egress.config.AllowRule;

class PolicyPartsTest {

    @Nested
    class IpLiteralParsing {

        @ParameterizedTest
        @ValueSource(strings = {"127.0.0.1", "0x7f.1", "0x7f.0.0.1", "2130706433", "017700000001",
            "0177.0.0.1", "127.1", "0x7f000001", "127.0.0.1.", "0X7F.00.0.01"})
        void everySpellingOfLoopbackParses(String host) {
            assertThat(IpLiterals.parse(host)).map(IpLiterals::canonical).contains("127.0.0.1");
        }

        @Test
        void ipv6LiteralsParseWithAndWithoutBrackets() {
            assertThat(IpLiterals.parse("[::1]")).map(IpLiterals::canonical).contains("::1");
            assertThat(IpLiterals.parse("::ffff:169.254.169.254")).map(IpLiterals::canonical)
                    .contains("169.254.169.254");
        }

        @Test
        void namesAreNotLiterals() {
            assertThat(IpLiterals.parse("example.com")).isEmpty();
            assertThat(IpLiterals.parse("1password.com")).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"256.1.1.1", "1.2.3.4.5", "1.2.3.0x100", "4294967296", "08.1.1.1", "[fe80::1%eth0]",
            "name.0x10"})
        void invalidNumericHostsAreRejected(String host) {
            assertThatThrownBy(() -> IpLiterals.parse(host)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class HostNormalisation {

        @Test
        void lowersCaseDropsTrailingDotAndConvertsIdn() {
            assertThat(HostNames.normalise("API.Example.COM.")).isEqualTo("api.example.com");
            assertThat(HostNames.normalise("bücher.example")).isEqualTo("xn--bcher-kva.example");
            assertThat(HostNames.normalise("0x7f.1")).isEqualTo("127.0.0.1");
        }

        @Test
        void rejectsCharactersNoNameHas() {
            assertThatThrownBy(() -> HostNames.normalise("evil.com\\@good.com"))
                    .hasMessageContaining("contains the character");
            assertThatThrownBy(() -> HostNames.normalise("a..b")).hasMessageContaining("not a valid name");
        }

        @Test
        void patternsAllowOnlyLeadingWildcard() {
            assertThat(HostNames.normalisePattern("*.Example.com")).isEqualTo("*.example.com");
            assertThatThrownBy(() -> HostNames.normalisePattern("api.*.com")).hasMessageContaining("'*.example.com'");
            assertThatThrownBy(() -> HostNames.normalisePattern("*.10.0.0.1")).hasMessageContaining("IP address");
        }
    }

    @Nested
    class SsrfGuard {

        @ParameterizedTest
        @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::", "::1",
            "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1", "::10.0.0.1",
            "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1", "2002:7f00:1::", "2001:0:7f00:1::1",
            "2001::ffff:ffff:5601:5601", "2001:db8::1", "64:ff9b:1::1"})
        void refusesNonPublicAddresses(String address) throws Exception {
            InetAddress parsed = IpLiterals.parse(address).orElseThrow();

            assertThat(AddressGuard.nonPublicReason(parsed)).as(address).isPresent();
        }

        @ParameterizedTest
        @ValueSource(strings = {"93.184.216.34", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
            "64:ff9b::5db8:d822", "2002:5db8:d822::1"})
        void allowsPublicAddresses(String address) {
            InetAddress parsed = IpLiterals.parse(address).orElseThrow();

            assertThat(AddressGuard.nonPublicReason(parsed)).as(address).isEmpty();
        }

        @Test
        void namesTheEmbeddedForm() {
            InetAddress nat64 = IpLiterals.parse("64:ff9b::a9fe:a9fe").orElseThrow();

            assertThat(AddressGuard.nonPublicReason(nat64)).get().asString()
                    .contains("NAT64").contains("169.254.0.0/16");
        }
    }

    @Nested
    class AllowlistMatching {

        private final Allowlist allowlist = new Allowlist(List.of(
                new AllowRule("api.example.com", List.of(), false),
                new AllowRule("*.cdn.example", List.of(443, 8443), false),
                new AllowRule("10.0.0.5", List.of(), true)));

        @Test
        void exactNameOnDefaultPort() {
            assertThat(allowlist.match("api.example.com", 443, 443)).isInstanceOf(Allowlist.Match.Allowed.class);
            assertThat(allowlist.match("api.example.com", 80, 80)).isInstanceOf(Allowlist.Match.Allowed.class);
            assertThat(allowlist.match("api.example.com", 8443, 443)).isInstanceOf(Allowlist.Match.Refused.class);
        }

        @Test
        void wildcardCoversAnyDepthButNotApex() {
            assertThat(allowlist.match("a.cdn.example", 443, 443)).isInstanceOf(Allowlist.Match.Allowed.class);
            assertThat(allowlist.match("a.b.cdn.example", 8443, 443)).isInstanceOf(Allowlist.Match.Allowed.class);
            assertThat(allowlist.match("cdn.example", 443, 443)).isInstanceOf(Allowlist.Match.Refused.class);
            assertThat(allowlist.match("evilcdn.example", 443, 443)).isInstanceOf(Allowlist.Match.Refused.class);
        }

        @Test
        void ipLiteralNeedsItsOwnEntry() {
            assertThat(allowlist.match("10.0.0.5", 443, 443)).isInstanceOf(Allowlist.Match.Allowed.class);
            Allowlist.Match other = allowlist.match("10.0.0.6", 443, 443);

            assertThat(((Allowlist.Match.Refused) other).refusal().rule()).isEqualTo("ip_literal");
        }
    }

    @Nested
    class TargetParsing {

        @Test
        void connectNeedsPort() {
            var parsed = TargetParser.parseConnect("example.com");

            assertThat(((TargetParser.Parsed.Failed<Target>) parsed).refusal().rule()).isEqualTo("missing_port");
        }

        @Test
        void absoluteFormSplitsTargetAndPath() {
            var parsed = TargetParser.parseAbsolute("http://Example.COM:8080?q=1");
            var uri = ((TargetParser.Parsed.Ok<TargetParser.AbsoluteUri>) parsed).value();

            assertThat(uri.target()).isEqualTo(new Target("example.com", 8080, false));
            assertThat(uri.originForm()).isEqualTo("/?q=1");
        }

        @Test
        void userinfoIsRefusedWithoutEchoingIt() {
            var parsed = TargetParser.parseAbsolute("http://user:pw@example.com/");
            Refusal refusal = ((TargetParser.Parsed.Failed<TargetParser.AbsoluteUri>) parsed).refusal();

            assertThat(refusal.rule()).isEqualTo("userinfo");
            assertThat(refusal.reason()).doesNotContain("pw");
        }

        @Test
        void portOutOfRangeIsRefused() {
            var parsed = TargetParser.parseConnect("example.com:70000");

            assertThat(((TargetParser.Parsed.Failed<Target>) parsed).refusal().rule()).isEqualTo("invalid_port");
        }
    }
}
