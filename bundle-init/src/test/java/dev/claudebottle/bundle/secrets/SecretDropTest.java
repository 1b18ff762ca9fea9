package dev.claudebottle.bundle.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretDropTest {

    private static final String TOKEN = "ghp_Q8w3ZbN1xK7vR2mT9pL4sY6uE0aH5cJ2dF8g";
    private static final String OTHER_TOKEN = "sk-docs-4Vq9Lm2Xw7Rt1Zp8Kc3Nb6Hy0Jd5Fg";

    @TempDir
    Path directory;

    @Test
    void receivedSecretsAreReadableByBundle() throws Exception {
        SecretDrop drop = new SecretDrop(directory);

        drop.receive(input("{\"tokens\": {\"GH_PAT\": \"" + TOKEN + "\"}, \"ssh_keys\": {\"repo\": \"-----BEGIN KEY-----\"}}"));
        Optional<BundleSecrets> secrets = drop.await(Duration.ofSeconds(5));

        assertThat(secrets).isPresent();
        assertThat(new String(secrets.get().token("GH_PAT").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo(TOKEN);
        assertThat(secrets.get().sshKey("repo")).isPresent();
        assertThat(secrets.get().toString()).contains("GH_PAT").doesNotContain(TOKEN);
    }

    @Test
    void addKeepsStoredSecrets() throws Exception {
        SecretDrop drop = new SecretDrop(directory);
        drop.receive(input("{\"tokens\": {\"GH_PAT\": \"" + TOKEN + "\"}, \"ssh_keys\": {\"repo\": \"-----BEGIN KEY-----\"}}"));

        BundleSecrets now = drop.add(input("{\"tokens\": {\"DOCS_TOKEN\": \"" + OTHER_TOKEN + "\"}}"));

        assertThat(now.tokenNames()).containsExactly("DOCS_TOKEN", "GH_PAT");
        BundleSecrets stored = drop.current().orElseThrow();
        assertThat(new String(stored.token("GH_PAT").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo(TOKEN);
        assertThat(new String(stored.token("DOCS_TOKEN").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo(OTHER_TOKEN);
        assertThat(stored.sshKey("repo")).isPresent();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(SecretDrop.FILE_NAME))))
                .isEqualTo("rw-------");
    }

    @Test
    void addReplacesValueOfSameName() throws Exception {
        SecretDrop drop = new SecretDrop(directory);
        drop.receive(input("{\"tokens\": {\"GH_PAT\": \"" + TOKEN + "\"}}"));

        drop.add(input("{\"tokens\": {\"GH_PAT\": \"" + OTHER_TOKEN + "\"}}"));

        BundleSecrets stored = drop.current().orElseThrow();
        assertThat(new String(stored.token("GH_PAT").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo(OTHER_TOKEN);
    }

    @Test
    void invalidAddLeavesStoredSecrets() throws Exception {
        SecretDrop drop = new SecretDrop(directory);
        drop.receive(input("{\"tokens\": {\"GH_PAT\": \"" + TOKEN + "\"}}"));

        assertThatThrownBy(() -> drop.add(input("{\"tokens\": {\"DOCS\": 7}}")))
                .isInstanceOf(SecretException.class)
                .hasMessageNotContaining(TOKEN);

        assertThat(drop.current().orElseThrow().tokenNames()).containsExactly("GH_PAT");
    }

    @Test
    void addWithNothingStoredStoresDocument() throws Exception {
        SecretDrop drop = new SecretDrop(directory);

        drop.add(input("{\"tokens\": {\"DOCS_TOKEN\": \"" + OTHER_TOKEN + "\"}}"));

        assertThat(drop.current().orElseThrow().tokenNames()).containsExactly("DOCS_TOKEN");
    }

    @Test
    void storedFileIsOwnerOnly() throws Exception {
        new SecretDrop(directory).receive(input("{\"tokens\": {\"GH_PAT\": \"" + TOKEN + "\"}}"));

        Path file = directory.resolve(SecretDrop.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(directory.resolve("." + SecretDrop.FILE_NAME + ".tmp")).doesNotExist();
    }

    @Test
    void invalidJsonErrorHidesDocument() {
        SecretDrop drop = new SecretDrop(directory);

        assertThatThrownBy(() -> drop.receive(input("{\"tokens\": {\"GH_PAT\": " + TOKEN + "}}")))
                .isInstanceOf(SecretException.class)
                .hasMessageContaining("not valid JSON")
                .hasMessageNotContaining(TOKEN);
        assertThat(directory.resolve(SecretDrop.FILE_NAME)).doesNotExist();
    }

    @Test
    void unknownKeyIsRejected() {
        assertThatThrownBy(() -> new SecretDrop(directory).receive(input("{\"token\": {}}")))
                .hasMessageContaining("unknown key \"token\"")
                .hasMessageContaining("tokens and ssh_keys");
    }

    @Test
    void nonStringValueIsRejectedByName() {
        assertThatThrownBy(() -> new SecretDrop(directory).receive(input("{\"tokens\": {\"GH_PAT\": 42}}")))
                .hasMessageContaining("tokens.GH_PAT must be a non-empty string");
    }

    @Test
    void oversizedDocumentIsRejected() {
        byte[] huge = new byte[SecretDrop.MAX_BYTES + 10];

        assertThatThrownBy(() -> new SecretDrop(directory).receive(new ByteArrayInputStream(huge)))
                .hasMessageContaining("larger than");
        assertThat(directory.resolve(SecretDrop.FILE_NAME)).doesNotExist();
    }

    @Test
    void awaitReturnsEmptyWhenNothingArrives() throws Exception {
        assertThat(new SecretDrop(directory).await(Duration.ofMillis(120))).isEmpty();
    }

    private static ByteArrayInputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
