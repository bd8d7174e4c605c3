package dev.netforge.processor;

import dev.netforge.processor.validation.Rule;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The processor's {@code -A} options, all namespaced {@code netforge.*}, each documented in the
 * README's option table. A bad value is an error that lists the allowed values.
 */
final class ProcessorOptions {
    /** Every option: its key, allowed values, default, and what it does. */
    enum Option {
        SUMMARY("netforge.summary", Set.of("true", "false"), "false",
                "print each model's summary table as a compiler note");

        final String key;
        final Set<String> allowed;
        final String defaultValue;
        final String purpose;

        Option(String key, Set<String> allowed, String defaultValue, String purpose) {
            this.key = key;
            this.allowed = allowed;
            this.defaultValue = defaultValue;
            this.purpose = purpose;
        }
    }

    private final boolean printSummary;

    private ProcessorOptions(boolean printSummary) {
        this.printSummary = printSummary;
    }

    static Set<String> names() {
        return Arrays.stream(Option.values()).map(o -> o.key).collect(Collectors.toUnmodifiableSet());
    }

    static ProcessorOptions parse(Map<String, String> given, Reporter reporter) {
        return new ProcessorOptions(Boolean.parseBoolean(value(Option.SUMMARY, given, reporter)));
    }

    private static String value(Option option, Map<String, String> given, Reporter reporter) {
        String value = given.get(option.key);
        if (value == null) {
            return option.defaultValue;
        }
        if (!option.allowed.contains(value)) {
            reporter.error(Rule.BAD_OPTION,
                    "-A" + option.key + "=" + value + " is not valid; allowed values: "
                            + option.allowed.stream().sorted().collect(Collectors.joining(", ")), null);
            return option.defaultValue;
        }
        return value;
    }

    boolean printSummary() {
        return printSummary;
    }
}
