package dev.netforge.processor;

import dev.netforge.processor.validation.Rule;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The processor's {@code -A} options, all namespaced {@code netforge.*}, each documented in the
 * README's option table. A bad value is an error that lists the allowed values.
 *
 * <ul>
 *   <li>{@code -Anetforge.summary=true}: print each model's summary table as a compiler note.</li>
 *   <li>{@code -Anetforge.weightsDir=<directory>}: a directory, absolute or relative to the compiler's
 *       working directory, where the {@code weights} and {@code golden} files of {@code @Model} are
 *       looked for first, as {@code <directory>/<package path>/<name>} ({@code <directory>/<path>}
 *       for a name with a leading {@code /}), before the source path, the class output and the class
 *       path. Nothing there is packaged: a trained file kept there stays out of the jar (only the
 *       bundled {@code XForward.weights} goes in). With Maven, keep it in e.g.
 *       {@code src/main/netforge/<package path>/} and pass
 *       {@code -Anetforge.weightsDir=${project.basedir}/src/main/netforge} in the compiler plugin's
 *       {@code compilerArgs} (Maven's working directory is not always the module's).</li>
 * </ul>
 */
final class ProcessorOptions {
    /** Every option: its key, allowed values, default, and what it does. */
    enum Option {
        SUMMARY("netforge.summary", Set.of("true", "false"), "false",
                "print each model's summary table as a compiler note"),
        WEIGHTS_DIR("netforge.weightsDir", null, null,
                "a directory (absolute or relative to the working directory) where weights and golden files are"
                        + " looked for first, before the source path, the class output and the class path; nothing"
                        + " there is packaged");

        final String key;
        /** The allowed values, or null for any. */
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
    private final Path weightsDir;

    private ProcessorOptions(boolean printSummary, Path weightsDir) {
        this.printSummary = printSummary;
        this.weightsDir = weightsDir;
    }

    static Set<String> names() {
        return Arrays.stream(Option.values()).map(o -> o.key).collect(Collectors.toUnmodifiableSet());
    }

    static ProcessorOptions parse(Map<String, String> given, Reporter reporter) {
        return new ProcessorOptions(Boolean.parseBoolean(value(Option.SUMMARY, given, reporter)),
                directory(Option.WEIGHTS_DIR, given, reporter));
    }

    /** An absolute, normalized directory; a directory that does not exist is named when a file is not found. */
    private static Path directory(Option option, Map<String, String> given, Reporter reporter) {
        String value = value(option, given, reporter);
        if (value == null) {
            return null;
        }
        try {
            if (value.isBlank()) {
                throw new InvalidPathException(value, "empty");
            }
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            reporter.error(Rule.BAD_OPTION, "-A" + option.key + "=" + value + " is not a valid directory: "
                    + e.getMessage(), null);
            return null;
        }
    }

    private static String value(Option option, Map<String, String> given, Reporter reporter) {
        String value = given.get(option.key);
        if (value == null) {
            return option.defaultValue;
        }
        if (option.allowed != null && !option.allowed.contains(value)) {
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

    /** {@code -Anetforge.weightsDir}, absolute, or null. */
    Path weightsDir() {
        return weightsDir;
    }
}
