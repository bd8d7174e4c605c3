package dev.netforge.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Model fuzzing: seeded random layer stacks, valid and invalid, each compiled in memory by the
 * processor and checked by {@link FuzzRunner} to be exactly one of accepted-and-correct or
 * rejected-with-a-located-tagged-error, never a crash. A failure prints the smallest model source
 * that still fails ({@link Shrinker}).
 *
 * <p>Defaults: 1,000 cases from seed {@value #DEFAULT_SEED}, 12 models per compilation; zero
 * allocation checked on every 50th accepted runnable case, reproducible output on every 25th
 * accepted case. The long run:
 * <pre>
 * mvn -B -o -pl runtime,processor test -Dtest=ModelFuzzTest -Dnetforge.fuzz.cases=20000 [-Dnetforge.fuzz.seed=N]
 * </pre>
 */
class ModelFuzzTest {
    static final long DEFAULT_SEED = 0x5EED_2026L;

    @Test
    void everyModelIsAcceptedAndCorrectOrRejectedWithATaggedError() {
        long seed = Long.getLong("netforge.fuzz.seed", DEFAULT_SEED);
        int cases = Integer.getInteger("netforge.fuzz.cases", 1000);
        int batchSize = Integer.getInteger("netforge.fuzz.batch", 12);
        FuzzGenerator generator = new FuzzGenerator(seed);
        FuzzRunner runner = new FuzzRunner(50, 25);
        long start = System.nanoTime();
        List<FuzzRunner.Outcome> outcomes = new ArrayList<>();
        for (int done = 0; done < cases; ) {
            List<FuzzCase> batch = new ArrayList<>();
            for (int i = 0; i < batchSize && done < cases; i++, done++) {
                batch.add(generator.next("Case" + done));
            }
            outcomes.addAll(runner.run(batch));
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        int accepted = 0, rejected = 0, numerics = 0, allocations = 0;
        Map<String, Integer> byFirstRule = new TreeMap<>();
        Map<String, Integer> byReportedRule = new TreeMap<>();
        Map<String, List<FuzzRunner.Outcome>> failures = new LinkedHashMap<>();
        for (FuzzRunner.Outcome o : outcomes) {
            if (o.failed()) {
                failures.computeIfAbsent(o.failureKind(), k -> new ArrayList<>()).add(o);
                continue;
            }
            if (o.accepted()) {
                accepted++;
                numerics += o.ranNumerics() ? 1 : 0;
                allocations += o.checkedAllocation() ? 1 : 0;
            } else {
                rejected++;
                byFirstRule.merge(o.expected().rule(), 1, Integer::sum);
                o.rules().forEach(r -> byReportedRule.merge(r, 1, Integer::sum));
            }
        }
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "NetForge model fuzz: seed %d (0x%X), %d cases in %.1f s%n", seed, seed,
                outcomes.size(), seconds));
        report.append(String.format(Locale.ROOT, "  accepted %d (%d run against the reference, worst abs error %.2e;"
                + " %d checked for zero allocation)%n", accepted, numerics, runner.worstError(), allocations));
        report.append(String.format(Locale.ROOT, "  rejected %d; by the oracle's first rule: %s%n", rejected, byFirstRule));
        report.append(String.format(Locale.ROOT, "  rules reported (cases with at least one): %s%n", byReportedRule));
        int failed = failures.values().stream().mapToInt(List::size).sum();
        report.append(String.format(Locale.ROOT, "  failed %d%s%n", failed, failed == 0 ? "" : " " + counts(failures)));
        System.out.print(report);

        if (failed > 0) {
            StringBuilder details = new StringBuilder(report);
            for (Map.Entry<String, List<FuzzRunner.Outcome>> kind : failures.entrySet()) {
                FuzzRunner.Outcome first = kind.getValue().get(0);
                Shrinker.Result shrunk = Shrinker.shrink(first, Integer.getInteger("netforge.fuzz.shrinkBudget", 200));
                details.append("\n=== ").append(kind.getKey()).append(" (").append(kind.getValue().size())
                        .append(" cases; first: ").append(first.fuzzCase().className()).append(") ===\n")
                        .append(first.failure()).append("\n--- smallest failing source (")
                        .append(shrunk.compilations()).append(" compilations to shrink) ---\n")
                        .append(shrunk.smallest().source())
                        .append("--- its failure ---\n").append(shrunk.outcome().failure()).append('\n');
            }
            assertTrue(false, details.toString());
        }
    }

    private static String counts(Map<String, List<FuzzRunner.Outcome>> failures) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        failures.forEach((k, v) -> counts.put(k, v.size()));
        return counts.toString();
    }
}
