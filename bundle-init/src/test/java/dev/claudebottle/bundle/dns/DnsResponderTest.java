package dev.claudebottle.bundle.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.channel.AddressedEnvelope;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DnsResponderTest {

    private EventLoopGroup group;
    private DnsResponder responder;
    private DnsNameResolver resolver;

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        DnsNames names = DnsNames.fixed(List.of("egress", "cred-proxy"), InetAddress.getByName("172.30.0.2"));
        responder = DnsResponder.start(new InetSocketAddress("127.0.0.1", 0), names, group);
        resolver = new DnsNameResolverBuilder(group.next())
                .datagramChannelType(NioDatagramChannel.class)
                .nameServerProvider(new SingletonDnsServerAddressStreamProvider(responder.address()))
                .resolveCache(NoopDnsCache.INSTANCE)
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_ONLY)
                .queryTimeoutMillis(5000)
                .maxQueriesPerResolve(1)
                .build();
    }

    @AfterEach
    void stop() {
        resolver.close();
        responder.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void answersOwnNameWithItsAddress() throws Exception {
        InetAddress address = resolver.resolve("egress").get(10, TimeUnit.SECONDS);

        assertThat(address.getHostAddress()).isEqualTo("172.30.0.2");
    }

    @Test
    void matchesOwnNameIgnoringCaseAndTrailingDot() throws Exception {
        InetAddress address = resolver.resolve("Cred-Proxy.").get(10, TimeUnit.SECONDS);

        assertThat(address.getHostAddress()).isEqualTo("172.30.0.2");
    }

    @Test
    void answersUnknownNameWithNxdomain() throws Exception {
        DnsResponse response = query("AKIAIOSFODNN7EXAMPLE.exfil.test.", DnsRecordType.A);

        assertThat(response.code()).isEqualTo(DnsResponseCode.NXDOMAIN);
        assertThat(response.count(DnsSection.ANSWER)).isZero();
    }

    @Test
    void failsResolutionOfOutsideName() {
        assertThatThrownBy(() -> resolver.resolve("api.anthropic.com").get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(java.net.UnknownHostException.class);
    }

    @Test
    void answersOtherRecordTypeOfOwnNameWithNoData() throws Exception {
        DnsResponse response = query("egress.", DnsRecordType.AAAA);

        assertThat(response.code()).isEqualTo(DnsResponseCode.NOERROR);
        assertThat(response.count(DnsSection.ANSWER)).isZero();
    }

    @Test
    void describesRefusedNameWithoutItsLabels() {
        String description = RefusedQueryLog.describe("AKIAIOSFODNN7EXAMPLE.exfil.test.");

        assertThat(description).doesNotContain("AKIA").doesNotContain("exfil");
        assertThat(description).contains(".test").contains("3 labels");
    }

    @Test
    void rejectsIpv6ResponderAddress() {
        assertThatThrownBy(() -> DnsNames.fixed(List.of("egress"), InetAddress.getByName("::1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be IPv4");
    }

    @Test
    void facingClientAnswersLoopbackClientWithLoopback() throws Exception {
        DnsNames names = DnsNames.facingClient(List.of("egress"));

        assertThat(names.lookup("egress", InetAddress.getByName("127.0.0.1")))
                .contains((java.net.Inet4Address) InetAddress.getByName("127.0.0.1"));
        assertThat(names.lookup("other", InetAddress.getByName("127.0.0.1"))).isEmpty();
    }

    private DnsResponse query(String name, DnsRecordType type) throws Exception {
        AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = resolver
                .query(new DefaultDnsQuestion(name, type))
                .get(10, TimeUnit.SECONDS);
        try {
            DnsResponse response = envelope.content();
            // Copy what the assertions need before the envelope is released.
            DnsResponse copy = new io.netty.handler.codec.dns.DefaultDnsResponse(response.id(), response.opCode(), response.code());
            for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
                DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
                copy.addRecord(DnsSection.ANSWER, new DefaultDnsQuestion(record.name(), record.type()));
            }
            return copy;
        } finally {
            envelope.release();
        }
    }
}
