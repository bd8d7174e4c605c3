package dev.netforge.processor.fuzz;

import dev.netforge.processor.fuzz.FuzzCase.Attr;
import dev.netforge.processor.fuzz.FuzzCase.Dbl;
import dev.netforge.processor.fuzz.FuzzCase.FieldFlaw;
import dev.netforge.processor.fuzz.FuzzCase.Int;
import dev.netforge.processor.fuzz.FuzzCase.Ints;
import dev.netforge.processor.fuzz.FuzzCase.Kind;
import dev.netforge.processor.fuzz.FuzzCase.Layer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shrinks a failing {@link FuzzCase} to a smallest one that still fails the same way (same failure
 * kind, each candidate compiled alone): first whole layers go (in halves, then one by one), then
 * extra members, field flaws and optional attributes, then every number moves toward 1 (or toward
 * -1 or 0 when negative), activations become LINEAR and names become {@code l0, l1, ...}. Greedy:
 * the first simpler candidate that still fails is kept, until none does or the budget of
 * compilations is spent.
 */
public final class Shrinker {
    private static final Set<String> REQUIRED = Set.of("filters", "kernel", "units", "rate");

    private Shrinker() {
    }

    public record Result(FuzzCase smallest, FuzzRunner.Outcome outcome, int compilations) {
    }

    public static Result shrink(FuzzRunner.Outcome failing, int budget) {
        String kind = failing.failureKind();
        FuzzRunner runner = new FuzzRunner(kind.equals("allocates") ? 1 : 0, kind.equals("not-reproducible") ? 1 : 0);
        FuzzCase best = failing.fuzzCase();
        FuzzRunner.Outcome bestOutcome = failing;
        int compilations = 0;
        Set<String> tried = new LinkedHashSet<>();
        boolean progress = true;
        while (progress && compilations < budget) {
            progress = false;
            for (FuzzCase candidate : candidates(best)) {
                if (compilations >= budget) {
                    break;
                }
                if (!tried.add(candidate.source())) {
                    continue;
                }
                compilations++;
                FuzzRunner.Outcome outcome = runner.runSingle(candidate);
                if (kind.equals(outcome.failureKind())) {
                    best = candidate;
                    bestOutcome = outcome;
                    progress = true;
                    break;
                }
            }
        }
        return new Result(best, bestOutcome, compilations);
    }

    /** One-step simplifications, the most drastic first. */
    static List<FuzzCase> candidates(FuzzCase c) {
        List<FuzzCase> out = new ArrayList<>();
        List<Layer> layers = c.layers();
        int n = layers.size();
        for (int chunk = n / 2; chunk >= 2; chunk /= 2) {
            for (int from = 0; from + chunk <= n; from += chunk) {
                List<Layer> fewer = new ArrayList<>(layers.subList(0, from));
                fewer.addAll(layers.subList(from + chunk, n));
                out.add(c.withLayers(fewer));
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            List<Layer> fewer = new ArrayList<>(layers);
            fewer.remove(i);
            out.add(c.withLayers(fewer));
        }
        if (!c.extraMembers().isEmpty()) {
            out.add(c.withExtraMembers(List.of()));
        }
        for (int i = 0; i < n; i++) {
            Layer layer = layers.get(i);
            if (layer.flaw() != FieldFlaw.NONE) {
                out.add(c.withLayer(i, layer.withFlaw(FieldFlaw.NONE)));
            }
            String plain = "l" + i;
            if (!layer.field().equals(plain) && layers.stream().noneMatch(l -> l.field().equals(plain))) {
                out.add(c.withLayer(i, layer.withField(plain)));
            }
            for (Map.Entry<String, Attr> attr : layer.attributes().entrySet()) {
                String name = attr.getKey();
                boolean required = REQUIRED.contains(name) || (layer.kind() == Kind.ACTIVATION && name.equals("value"));
                if (!required) {
                    out.add(c.withLayer(i, layer.with(name, null)));
                }
                for (Attr simpler : simpler(attr.getValue())) {
                    out.add(c.withLayer(i, layer.with(name, simpler)));
                }
            }
        }
        for (Attr simpler : simpler(c.input())) {
            out.add(c.withInput(simpler));
        }
        return out;
    }

    private static List<Attr> simpler(Attr attr) {
        List<Attr> out = new ArrayList<>();
        if (attr instanceof Int i) {
            for (int v : simpler(i.value())) {
                out.add(new Int(v));
            }
        } else if (attr instanceof Ints ints) {
            int[] values = ints.values();
            if (values.length > 1) {
                for (int drop = values.length - 1; drop >= 0; drop--) {
                    int[] fewer = new int[values.length - 1];
                    for (int k = 0, j = 0; k < values.length; k++) {
                        if (k != drop) {
                            fewer[j++] = values[k];
                        }
                    }
                    out.add(new Ints(fewer, fewer.length != 1 || ints.braces()));
                }
            }
            for (int k = 0; k < values.length; k++) {
                for (int v : simpler(values[k])) {
                    int[] copy = values.clone();
                    copy[k] = v;
                    out.add(new Ints(copy, ints.braces()));
                }
            }
            if (values.length == 1 && ints.braces()) {
                out.add(new Ints(values, false));
            }
        } else if (attr instanceof Dbl d) {
            for (double v : new double[] {0.5, 0.001, 0.0}) {
                if (Double.compare(v, d.value()) != 0 && !(Math.abs(v) > Math.abs(d.value()))) {
                    out.add(Dbl.of(v));
                }
            }
            if (!d.text().equals(Dbl.of(d.value()).text())) {
                out.add(Dbl.of(d.value()));
            }
        } else if (attr instanceof FuzzCase.Enum e && e.type().equals("Activation") && !e.constant().equals("LINEAR")) {
            out.add(new FuzzCase.Enum("Activation", "LINEAR"));
        }
        return out;
    }

    /** Simpler ints: 1, 2, halfway to 1; negatives toward -1 and 0. */
    private static List<Integer> simpler(int v) {
        List<Integer> out = new ArrayList<>();
        if (v > 1) {
            out.add(1);
            if (v > 2) {
                out.add(2);
                out.add(v / 2 + 1 == v ? v - 1 : v / 2 + 1);
                out.add(v - 1);
            }
        } else if (v < 0) {
            out.add(0);
            if (v < -1) {
                out.add(-1);
                out.add(v / 2);
            }
        }
        return out;
    }
}
