package dev.netforge.importer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fits the weights of an imported model to a declared NetForge network and builds its parameter
 * vector, or says exactly which declared layer does not fit: its name, the expected kind and
 * shapes, and what the file has. All or nothing: a vector is returned only when every layer fits.
 *
 * <p>Declared layers with weights are paired with the file's layers with weights in order; when
 * every declared name also names a weighted layer of the file, they are paired by name instead.
 */
public final class WeightMatcher {
    private WeightMatcher() {
    }

    /** A declared layer that holds weights: its name, Keras kind and the tensor shapes it expects. */
    public record ExpectedLayer(int index, String name, String kind, List<int[]> shapes) {
        public ExpectedLayer {
            shapes = shapes.stream().map(int[]::clone).toList();
        }
    }

    /** One declared layer that does not fit, with the message to show the user. */
    public record Mismatch(int index, String layer, String message) {
    }

    /** The parameter vector, or the mismatches (never both). */
    public record Result(float[] parameters, List<Mismatch> mismatches) {
        public boolean ok() {
            return mismatches.isEmpty();
        }
    }

    public static Result match(List<ExpectedLayer> expected, ImportedModel model) {
        List<ImportedLayer> weighted = new ArrayList<>();
        for (ImportedLayer layer : model.layers()) {
            if (!layer.weights().isEmpty()) {
                weighted.add(layer);
            }
        }
        List<Mismatch> mismatches = new ArrayList<>();
        List<ImportedLayer> paired = pairing(expected, weighted);
        long total = 0;
        for (int i = 0; i < expected.size(); i++) {
            ExpectedLayer want = expected.get(i);
            ImportedLayer have = i < paired.size() ? paired.get(i) : null;
            if (have == null) {
                mismatches.add(new Mismatch(want.index(), want.name(), want.name() + ": expected " + want.kind()
                        + " weights " + shapes(want.shapes()) + ", but " + model.format() + " file has only "
                        + weighted.size() + " layers with weights (declared: " + expected.size() + ")"));
                continue;
            }
            List<int[]> actual = have.weights().stream().map(Tensor::shape).toList();
            boolean kindOk = sameKind(want.kind(), have.kind());
            boolean shapesOk = actual.size() == want.shapes().size();
            for (int t = 0; shapesOk && t < actual.size(); t++) {
                shapesOk = Arrays.equals(actual.get(t), want.shapes().get(t));
            }
            if (!kindOk || !shapesOk) {
                mismatches.add(new Mismatch(want.index(), want.name(), want.name() + ": expected " + want.kind()
                        + " weights " + shapes(want.shapes()) + ", found " + have.kind() + " '" + have.name()
                        + "' with " + shapes(actual) + " in the " + model.format() + " file"));
            }
            for (int[] shape : actual) {
                total += Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
            }
        }
        if (weighted.size() > expected.size()) {
            ImportedLayer extra = weighted.get(expected.size());
            mismatches.add(new Mismatch(-1, null, "the " + model.format() + " file has " + weighted.size()
                    + " layers with weights, the model declares " + expected.size() + "; the first extra one is "
                    + extra.kind() + " '" + extra.name() + "' " + shapes(extra.weights().stream().map(Tensor::shape)
                    .toList())));
        }
        if (!mismatches.isEmpty()) {
            return new Result(null, List.copyOf(mismatches));
        }
        float[] parameters = new float[Math.toIntExact(total)];
        int offset = 0;
        for (ImportedLayer layer : paired) {
            for (Tensor tensor : layer.weights()) {
                offset = tensor.copyTo(parameters, offset);
            }
        }
        return new Result(parameters, List.of());
    }

    private static List<ImportedLayer> pairing(List<ExpectedLayer> expected, List<ImportedLayer> weighted) {
        Set<String> names = new HashSet<>();
        weighted.forEach(layer -> names.add(layer.name()));
        boolean byName = !expected.isEmpty() && expected.stream().allMatch(want -> names.contains(want.name()));
        if (!byName) {
            return weighted.subList(0, Math.min(weighted.size(), expected.size()));
        }
        List<ImportedLayer> paired = new ArrayList<>();
        for (ExpectedLayer want : expected) {
            paired.add(weighted.stream().filter(layer -> layer.name().equals(want.name())).findFirst().orElseThrow());
        }
        return paired;
    }

    private static boolean sameKind(String declared, String imported) {
        return declared.equalsIgnoreCase(imported)
                || declared.equals("BatchNormalization") && imported.startsWith("BatchNorm");
    }

    static String shapes(List<int[]> shapes) {
        StringBuilder text = new StringBuilder();
        for (int[] shape : shapes) {
            text.append(text.length() > 0 ? " + " : "").append('(');
            for (int i = 0; i < shape.length; i++) {
                text.append(i > 0 ? ", " : "").append(shape[i]);
            }
            text.append(shape.length == 1 ? ",)" : ")");
        }
        return text.length() == 0 ? "none" : text.toString();
    }
}
