package dev.claudebottle.dlp.cli;

import dev.claudebottle.dlp.GitleaksExport;
import dev.claudebottle.dlp.Rule;
import dev.claudebottle.dlp.RuleSet;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Lists the rules: id, entropy floor, keywords, description, and whether gitleaks gets the rule. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Lists the detection rules.")
final class RulesCommand implements Callable<Integer> {
    @Mixin
    RuleOptions ruleOptions = new RuleOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RuleSet rules = ruleOptions.load();
        Map<String, String> skipped = GitleaksExport.of(rules).skipped().stream()
                .collect(Collectors.toMap(GitleaksExport.Skipped::ruleId, GitleaksExport.Skipped::reason));
        PrintWriter out = spec.commandLine().getOut();
        for (Rule rule : rules.rules()) {
            String gitleaks = skipped.containsKey(rule.id()) ? "  [not in gitleaks export: " + skipped.get(rule.id()) + "]" : "";
            out.printf(Locale.ROOT, "%-34s %s%s%n", rule.id(), rule.description(), gitleaks);
        }
        out.printf(Locale.ROOT, "%d rules%n", rules.rules().size());
        out.flush();
        return 0;
    }
}
