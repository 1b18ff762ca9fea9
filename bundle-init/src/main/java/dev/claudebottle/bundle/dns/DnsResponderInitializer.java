package dev.claudebottle.bundle.dns;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;

/** Pipeline of the DNS responder: datagram decoder, response encoder, then the answering handler. */
final class DnsResponderInitializer extends ChannelInitializer<DatagramChannel> {

    private final DnsNames names;
    private final RefusedQueryLog refusedQueries = new RefusedQueryLog();

    DnsResponderInitializer(DnsNames names) {
        this.names = names;
    }

    @Override
    protected void initChannel(DatagramChannel channel) {
        channel.pipeline()
                .addLast("dnsDecoder", new DatagramDnsQueryDecoder())
                .addLast("dnsEncoder", new DatagramDnsResponseEncoder())
                .addLast("dnsAnswer", new DnsQueryHandler(names, refusedQueries));
    }
}
