package dev.claudebottle.egress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import dev.claudebottle.egress.audit.AuditRecord;
import dev.claudebottle.egress.config.AllowRule;
import dev.claudebottle.egress.config.CredentialBinding;
import dev.claudebottle.egress.config.DlpSettings;
import dev.claudebottle.egress.config.EgressConfigReader;
import dev.claudebottle.egress.config.Limits;
import dev.claudebottle.egress.config.RefusalHints;
import dev.claudebottle.egress.tls.CertificateAuthority;

/**
 * Everything an {@link EgressProxy} needs, immutable. Build one with {@link #builder()} or read
 * one from YAML with {@link #load(Path)} / {@link #parse(String, String)}; the YAML keys are
 * documented on {@link EgressConfigReader}.
 */
public final class EgressConfig {

    private final InetSocketAddress listen;
    private final List<AllowRule> allowlist;
    private final Map<String, List<InetAddress>> resolve;
    private final List<Path> upstreamCa;
    private final Path caCertOut;
    private final Path caCertFile;
    private final Path caKeyFile;
    private final CertificateAuthority ca;
    private final Path auditLog;
    private final DlpSettings dlp;
    private final Limits limits;
    private final RefusalHints hints;
    private final List<CredentialBinding> credentials;
    private final int workers;
    private final Consumer<AuditRecord> auditListener;

    private EgressConfig(Builder b) {
        this.listen = Objects.requireNonNull(b.listen, "listen");
        this.allowlist = List.copyOf(b.allowlist);
        this.resolve = Map.copyOf(b.resolve);
        this.upstreamCa = List.copyOf(b.upstreamCa);
        this.caCertOut = b.caCertOut;
        this.caCertFile = b.caCertFile;
        this.caKeyFile = b.caKeyFile;
        this.ca = b.ca;
        this.auditLog = b.auditLog;
        this.dlp = Objects.requireNonNull(b.dlp, "dlp");
        this.limits = Objects.requireNonNull(b.limits, "limits");
        this.hints = Objects.requireNonNull(b.hints, "hints");
        this.credentials = List.copyOf(b.credentials);
        this.workers = b.workers;
        this.auditListener = b.auditListener;
        if ((caCertFile == null) != (caKeyFile == null)) {
            throw new EgressProxyException("ca.cert_file and ca.key_file must be given together; "
                    + "give both to load a CA, or neither to generate one at start");
        }
        if (ca != null && caCertFile != null) {
            throw new EgressProxyException("a CA object and ca.cert_file/ca.key_file were both given; "
                    + "give one of them");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads a YAML config file strictly; see {@link EgressConfigReader} for the keys. */
    public static EgressConfig load(Path file) {
        return EgressConfigReader.read(file);
    }

    /** Parses YAML text strictly; {@code sourceName} names it in error messages. */
    public static EgressConfig parse(String yaml, String sourceName) {
        return EgressConfigReader.parse(yaml, sourceName);
    }

    public InetSocketAddress listen() {
        return listen;
    }

    public List<AllowRule> allowlist() {
        return allowlist;
    }

    /** Names pinned to addresses (normalised name to addresses), consulted before DNS. */
    public Map<String, List<InetAddress>> resolve() {
        return resolve;
    }

    /** Extra CA certificate files trusted for upstream TLS, beside the system trust store. */
    public List<Path> upstreamCa() {
        return upstreamCa;
    }

    /** Where the proxy writes its CA certificate (PEM) at start, or null. */
    public Path caCertOut() {
        return caCertOut;
    }

    /** CA certificate to load instead of generating one, or null. */
    public Path caCertFile() {
        return caCertFile;
    }

    /** CA private key (PEM, PKCS#8 or SEC1) to load with {@link #caCertFile()}, or null. */
    public Path caKeyFile() {
        return caKeyFile;
    }

    /** Returns the CA given in memory with {@link Builder#ca}, or null when it is loaded or generated at start. */
    public CertificateAuthority ca() {
        return ca;
    }

    /** Audit log file (JSON lines, appended), or null for none. */
    public Path auditLog() {
        return auditLog;
    }

    public DlpSettings dlp() {
        return dlp;
    }

    public Limits limits() {
        return limits;
    }

    public RefusalHints hints() {
        return hints;
    }

    public List<CredentialBinding> credentials() {
        return credentials;
    }

    /** Event-loop threads when the proxy makes its own group; 0 means one per core. */
    public int workers() {
        return workers;
    }

    /** Receives every audit record in process (Java API only), or null. */
    public Consumer<AuditRecord> auditListener() {
        return auditListener;
    }

    /** Returns a builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.listen = listen;
        b.allowlist.addAll(allowlist);
        b.resolve.putAll(resolve);
        b.upstreamCa.addAll(upstreamCa);
        b.caCertOut = caCertOut;
        b.caCertFile = caCertFile;
        b.caKeyFile = caKeyFile;
        b.ca = ca;
        b.auditLog = auditLog;
        b.dlp = dlp;
        b.limits = limits;
        b.hints = hints;
        b.credentials.addAll(credentials);
        b.workers = workers;
        b.auditListener = auditListener;
        return b;
    }

    /** Builds an {@link EgressConfig}; hosts must already be normalised (see HostNames). */
    public static final class Builder {
        private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8888);
        private final List<AllowRule> allowlist = new ArrayList<>();
        private final Map<String, List<InetAddress>> resolve = new LinkedHashMap<>();
        private final List<Path> upstreamCa = new ArrayList<>();
        private Path caCertOut;
        private Path caCertFile;
        private Path caKeyFile;
        private CertificateAuthority ca;
        private Path auditLog;
        private DlpSettings dlp = DlpSettings.DEFAULTS;
        private Limits limits = Limits.DEFAULTS;
        private RefusalHints hints = RefusalHints.DEFAULTS;
        private final List<CredentialBinding> credentials = new ArrayList<>();
        private int workers;
        private Consumer<AuditRecord> auditListener;

        private Builder() {
        }

        public Builder listen(InetSocketAddress value) {
            this.listen = value;
            return this;
        }

        public Builder allow(AllowRule rule) {
            allowlist.add(rule);
            return this;
        }

        public Builder allowlist(List<AllowRule> rules) {
            allowlist.clear();
            allowlist.addAll(rules);
            return this;
        }

        public Builder resolve(String host, List<InetAddress> addresses) {
            resolve.put(host, List.copyOf(addresses));
            return this;
        }

        public Builder upstreamCa(Path file) {
            upstreamCa.add(file);
            return this;
        }

        public Builder caCertOut(Path file) {
            this.caCertOut = file;
            return this;
        }

        public Builder caFiles(Path certFile, Path keyFile) {
            this.caCertFile = certFile;
            this.caKeyFile = keyFile;
            return this;
        }

        /**
         * Uses {@code authority}, kept in memory, instead of loading or generating a CA at start.
         * An embedding process that restarts the proxy passes the same CA each time, so clients
         * that trust it keep working.
         */
        public Builder ca(CertificateAuthority authority) {
            this.ca = authority;
            return this;
        }

        public Builder auditLog(Path file) {
            this.auditLog = file;
            return this;
        }

        public Builder dlp(DlpSettings value) {
            this.dlp = value;
            return this;
        }

        public Builder limits(Limits value) {
            this.limits = value;
            return this;
        }

        /** Sets the last lines of refusal bodies: how to ask for a host, what to do about a secret. */
        public Builder hints(RefusalHints value) {
            this.hints = value;
            return this;
        }

        public Builder credential(CredentialBinding binding) {
            credentials.add(binding);
            return this;
        }

        public Builder workers(int value) {
            this.workers = value;
            return this;
        }

        public Builder auditListener(Consumer<AuditRecord> listener) {
            this.auditListener = listener;
            return this;
        }

        public EgressConfig build() {
            return new EgressConfig(this);
        }
    }
}
