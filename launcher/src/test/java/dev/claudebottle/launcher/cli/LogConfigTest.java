package dev.claudebottle.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The launcher jar's Logback configuration, which a syntax slip would turn into noise on every run. */
class LogConfigTest {

    @Test
    void jarLogConfigLoadsCleanly() throws Exception {
        URL config = getClass().getResource("/logback.xml");
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);

        configurator.doConfigure(config);

        int worst = context.getStatusManager().getCopyOfStatusList().stream()
                .mapToInt(Status::getEffectiveLevel).max().orElse(Status.INFO);
        String statuses = context.getStatusManager().getCopyOfStatusList().toString();
        assertThat(worst).as(statuses).isLessThan(Status.WARN);
        assertThat(context.getLogger("com.github.dockerjava.api.async.ResultCallbackTemplate").getLevel())
                .isEqualTo(Level.OFF);
        assertThat(context.getLogger("org.example").getEffectiveLevel()).isEqualTo(Level.WARN);
    }
}
