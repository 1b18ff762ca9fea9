package dev.claudebottle.bundle.dns;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.Inet4Address;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the response to one query: an A record for the bottle's own names, no records for their
 * other record types, NXDOMAIN for every other name, and REFUSED for anything but a standard query.
 */
final class DnsQueryHandler extends SimpleChannelInboundHandler<DatagramDnsQuery> {

    private static final Logger LOG = LoggerFactory.getLogger(DnsQueryHandler.class);

    /** Short, because the bottle's containers come and go within a session. */
    private static final long TTL_SECONDS = 60;

    private final DnsNames names;
    private final RefusedQueryLog refusedQueries;

    DnsQueryHandler(DnsNames names, RefusedQueryLog refusedQueries) {
        this.names = names;
        this.refusedQueries = refusedQueries;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
        DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
        response.setRecursionDesired(query.isRecursionDesired());
        response.setAuthoritativeAnswer(true);

        DnsQuestion question = query.count(DnsSection.QUESTION) == 1 ? query.recordAt(DnsSection.QUESTION) : null;
        if (question == null || !DnsOpCode.QUERY.equals(query.opCode())) {
            // RFC 1035 section 4.1.1: REFUSED for operations this server will not perform.
            response.setCode(DnsResponseCode.REFUSED);
            ctx.writeAndFlush(response);
            return;
        }
        response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));

        Optional<Inet4Address> address = names.lookup(question.name(), query.sender().getAddress());
        if (!names.contains(question.name())) {
            response.setCode(DnsResponseCode.NXDOMAIN);
            refusedQueries.record(query.sender(), question.name(), question.type());
        } else if (DnsRecordType.A.equals(question.type()) && address.isPresent()) {
            byte[] octets = address.get().getAddress();
            response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(
                    question.name(), DnsRecordType.A, TTL_SECONDS, Unpooled.wrappedBuffer(octets)));
        }
        // A query for another type (AAAA, MX, ...) of a known name gets NOERROR with no records (NODATA).
        ctx.writeAndFlush(response);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A malformed datagram must not close the shared socket: log it and keep serving.
        LOG.debug("dropped an undecodable DNS datagram: {}", cause.toString());
    }
}
