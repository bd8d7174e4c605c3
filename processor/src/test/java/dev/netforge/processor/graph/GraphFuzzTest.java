package dev.netforge.processor.graph;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.netforge.processor.NetForgeProcessor;
import dev.netforge.processor.model.MergeOp;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.testing.CompiledModel;
import dev.netforge.processor.testing.RandomModels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Random networks that branch and merge (seeded, so a failure names its seed): each valid one
 * compiles and computes what {@link GraphModel}'s independent reference computes; each broken one
 * (an unknown or later {@code @From} name, merged shapes that differ, a layer that reaches
 * nothing, a wrong number of inputs) is rejected with errors tagged with their rule, never an
 * internal error or generated code. The chain fuzzer ({@code fuzz.ModelFuzzTest}) covers the
 * layers' attributes; this one covers the connections.
 */
class GraphFuzzTest {
    private static final long SEED = 0x6A7F2026L;
    private static final int VALID_CASES = Integer.getInteger("netforge.graphFuzz.cases", 60);

    /** A random valid graph: shape-compatible layers and merges, every tensor used, a Dense on top. */
    static GraphModel randomGraph(Random random, int[] input) {
        GraphModel graph = new GraphModel(input);
        Map<String, int[]> tensors = new LinkedHashMap<>(); // name -> shape, in creation order
        tensors.put("input", input);
        Set<String> used = new java.util.HashSet<>();
        int nodes = 3 + random.nextInt(8);
        for (int n = 0; n < nodes; n++) {
            String name = "n" + n;
            List<String> names = new ArrayList<>(tensors.keySet());
            if (random.nextInt(3) == 0) {
                List<String> merge = mergeCandidates(random, tensors);
                if (merge != null) {
                    MergeOp op = merge.size() > 2 ? pick(random, MergeOp.ADD, MergeOp.MULTIPLY, MergeOp.AVERAGE,
                            MergeOp.MAXIMUM, MergeOp.MINIMUM)
                            : pick(random, MergeOp.values());
                    boolean sameShapes = merge.stream().map(tensors::get).map(java.util.Arrays::toString)
                            .distinct().count() == 1;
                    if (!sameShapes) {
                        op = MergeOp.CONCATENATE;
                    }
                    graph.merge(name, op, merge.toArray(new String[0]));
                    used.addAll(merge);
                    int[] out = tensors.get(merge.get(0)).clone();
                    if (op == MergeOp.CONCATENATE) {
                        out[2] = merge.stream().mapToInt(m -> tensors.get(m)[2]).sum();
                    }
                    tensors.put(name, out);
                    continue;
                }
            }
            String from = names.get(random.nextInt(names.size()));
            int[] in = tensors.get(from);
            RefLayer layer = randomLayer(random, in);
            graph.layer(name, layer, from);
            used.add(from);
            tensors.put(name, dev.netforge.processor.reference.ReferenceNetwork.shapes(in, List.of(layer)).get(0));
        }
        // every tensor reaches the output: pool the ones nothing reads, join them, classify
        List<String> pooled = new ArrayList<>();
        int k = 0;
        for (String name : new ArrayList<>(tensors.keySet())) {
            if (!used.contains(name) && !name.equals("input")) {
                graph.layer("gap" + k, new RefLayer.GlobalAvgPool(), name);
                pooled.add("gap" + k++);
            }
        }
        String last = pooled.get(0);
        if (pooled.size() > 1) {
            graph.merge("joined", MergeOp.CONCATENATE, pooled.toArray(new String[0]));
            last = "joined";
        }
        graph.layer("out", new RefLayer.Dense(3, "softmax", true), last);
        return graph;
    }

    private static List<String> mergeCandidates(Random random, Map<String, int[]> tensors) {
        Map<String, List<String>> byShape = new LinkedHashMap<>();
        Map<String, List<String>> bySize = new LinkedHashMap<>();
        tensors.forEach((name, shape) -> {
            byShape.computeIfAbsent(java.util.Arrays.toString(shape), s -> new ArrayList<>()).add(name);
            bySize.computeIfAbsent(shape[0] + "x" + shape[1], s -> new ArrayList<>()).add(name);
        });
        List<List<String>> groups = new ArrayList<>(byShape.values());
        if (random.nextBoolean()) {
            groups = new ArrayList<>(bySize.values()); // a concatenation of different channel counts
        }
        groups.removeIf(g -> g.size() < 2 && !(g.size() == 1 && random.nextInt(4) == 0));
        if (groups.isEmpty()) {
            return null;
        }
        List<String> group = groups.get(random.nextInt(groups.size()));
        List<String> chosen = new ArrayList<>();
        int count = 2 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            chosen.add(group.get(random.nextInt(group.size()))); // a name may repeat, as in Keras
        }
        return chosen;
    }

    private static RefLayer randomLayer(Random random, int[] in) {
        String[] activations = {"linear", "relu", "tanh", "sigmoid", "relu6", "elu", "swish"};
        String act = activations[random.nextInt(activations.length)];
        int f = 1 + random.nextInt(4);
        switch (random.nextInt(12)) {
            case 0:
                return new RefLayer.Conv2D(f, 3, 3, 1, 1, 1, 1, true, act, random.nextBoolean());
            case 1:
                return in[0] >= 3 && in[1] >= 3 ? new RefLayer.Conv2D(f, 3, 3, 1, 1, 1, 1, false, act, true)
                        : new RefLayer.Conv2D(f, 1, 1, 1, 1, 1, 1, false, act, true);
            case 2:
                return in[0] >= 2 && in[1] >= 2 ? new RefLayer.MaxPool(2, 2, 2, 2, false)
                        : new RefLayer.AvgPool(2, 2, 1, 1, true);
            case 3:
                return new RefLayer.DepthwiseConv2D(3, 3, 1, 1, 1, 1, true, 1 + random.nextInt(2), act, true);
            case 4:
                return new RefLayer.BatchNorm(1e-3);
            case 5:
                return new RefLayer.ActivationLayer(act);
            case 6:
                return new RefLayer.ZeroPadding(random.nextInt(2), random.nextInt(2), random.nextInt(2),
                        random.nextInt(2));
            case 7:
                return in[0] * in[1] <= 64 ? new RefLayer.UpSampling2D(2, 1 + random.nextInt(2))
                        : new RefLayer.LeakyReLU(0.3f);
            case 8:
                return in[0] * in[1] <= 64
                        ? new RefLayer.Conv2DTranspose(f, 1 + random.nextInt(3), 1 + random.nextInt(3),
                                1 + random.nextInt(2), 1 + random.nextInt(2), random.nextBoolean(), act, true)
                        : new RefLayer.Conv2DTranspose(f, 3, 3, 1, 1, true, act, true);
            case 9:
                return new RefLayer.SeparableConv2D(f, 3, 3, 1, 1, 1, 1, true, 1 + random.nextInt(2), act,
                        random.nextBoolean());
            case 10:
                return in[0] > 2 && in[1] > 2 ? new RefLayer.Cropping2D(1, 0, 0, 1) : new RefLayer.Dropout(0.5);
            default:
                return new RefLayer.LeakyReLU(random.nextFloat());
        }
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }

    private static int[] randomInput(Random random) {
        return new int[] {3 + random.nextInt(5), 3 + random.nextInt(5), 1 + random.nextInt(3)};
    }

    @Test
    void randomValidGraphsMatchTheReference() {
        Random random = new Random(SEED);
        for (int c = 0; c < VALID_CASES; c++) {
            long seed = random.nextLong();
            Random caseRandom = new Random(seed);
            int[] input = randomInput(caseRandom);
            GraphModel graph = randomGraph(caseRandom, input);
            String className = "Random" + c;
            String source = graph.source("gfuzz", className);
            CompiledModel model;
            try {
                model = CompiledModel.compile("gfuzz", className, source);
            } catch (AssertionError e) {
                throw new AssertionError("case seed " + seed + " did not compile:\n" + source, e);
            }
            float[] parameters = graph.parameters(seed);
            float[] x = RandomModels.input(input[0] * input[1] * input[2], (int) seed);
            float[] expected = graph.reference(parameters, x);
            float[] actual = new float[expected.length];
            model.instance(parameters).forward(x, actual);
            for (int i = 0; i < expected.length; i++) {
                double error = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
                assertTrue(error <= 1e-4, "case seed " + seed + ", output " + i + ": " + actual[i] + " vs reference "
                        + expected[i] + "\n" + source);
            }
        }
    }

    @Test
    void brokenConnectionsAreTaggedErrorsNeverCrashes() {
        Random random = new Random(SEED + 1);
        String[] mutations = {"unknown", "later", "shapes", "unused", "arity"};
        for (int c = 0; c < 25; c++) {
            long seed = random.nextLong();
            Random caseRandom = new Random(seed);
            String source = randomGraph(caseRandom, randomInput(caseRandom)).source("gfuzz", "Broken" + c);
            String mutation = mutations[c % mutations.length];
            String broken = mutate(source, mutation, caseRandom);
            if (broken == null) {
                continue; // this graph offers no such mutation
            }
            Compilation compilation = Compiler.javac().withProcessors(new NetForgeProcessor())
                    .compile(JavaFileObjects.forSourceString("gfuzz.Broken" + c, broken));
            List<String> errors = compilation.errors().stream().map(d -> d.getMessage(null)).toList();
            assertFalse(errors.isEmpty(), mutation + " (seed " + seed + ") compiled:\n" + broken);
            assertTrue(errors.stream().allMatch(e -> e.contains("[netforge.") && !e.contains("internal-error")),
                    mutation + " (seed " + seed + "): " + errors + "\n" + broken);
            assertTrue(compilation.status() == Compilation.Status.FAILURE, "no code for a broken model");
            String expected = switch (mutation) {
                case "shapes" -> "[netforge.merge-shapes]";
                case "unused" -> "[netforge.unused-layer]";
                default -> "[netforge.from]";
            };
            assertTrue(errors.stream().anyMatch(e -> e.contains(expected)), mutation + " (seed " + seed + "): "
                    + errors + "\n" + broken);
        }
    }

    /** The source with one connection broken; null when the graph has nowhere to break it. */
    private static String mutate(String source, String mutation, Random random) {
        List<String> lines = new ArrayList<>(source.lines().toList());
        List<Integer> layerLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(" Layer ")) {
                layerLines.add(i);
            }
        }
        int last = layerLines.get(layerLines.size() - 1);
        switch (mutation) {
            case "unknown": {
                int at = layerLines.get(random.nextInt(layerLines.size()));
                String line = lines.get(at);
                lines.set(at, line.contains("@From(") ? line.replaceFirst("@From\\(\\{\"", "@From({\"nowhere\", \"")
                        .replaceFirst("@From\\(\"[^\"]*\"\\)", "@From(\"nowhere\")")
                        : line.replace(" Layer ", " @From(\"nowhere\") Layer "));
                break;
            }
            case "later": {
                int at = layerLines.get(0);
                String lastName = lines.get(last).replaceAll(".* Layer (\\w+);.*", "$1");
                lines.set(at, lines.get(at).replaceFirst("@From\\([^)]*\\) ", "")
                        .replace(" Layer ", " @From(\"" + lastName + "\") Layer "));
                break;
            }
            case "shapes": {
                String out = lines.get(last);
                // Add the input to the output's vector input: an image and a vector never share a shape
                String into = out.replaceAll(".*@From\\(\\{?\"([^\"]*)\"\\}?\\).*", "$1");
                lines.add(last, "    @Add @From({\"input\", \"" + into + "\"}) Layer mismatched;");
                lines.set(last + 1, out.replaceAll("@From\\([^)]*\\)", "@From(\"mismatched\")"));
                break;
            }
            case "unused":
                lines.add(last, "    @ActivationLayer(Activation.RELU) @From(\"input\") Layer dangling;");
                break;
            case "arity": {
                String out = lines.get(last);
                lines.set(last, out.replaceAll("@From\\(\\{?\"([^\"]*)\"\\}?\\)", "@From({\"$1\", \"input\"})"));
                break;
            }
            default:
                throw new IllegalArgumentException(mutation);
        }
        String result = lines.stream().collect(Collectors.joining("\n")) + "\n";
        return result.equals(source) ? null : result;
    }
}
