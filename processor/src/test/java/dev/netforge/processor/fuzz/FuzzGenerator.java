package dev.netforge.processor.fuzz;

import dev.netforge.Activation;
import dev.netforge.processor.fuzz.FuzzCase.Attr;
import dev.netforge.processor.fuzz.FuzzCase.Bool;
import dev.netforge.processor.fuzz.FuzzCase.Dbl;
import dev.netforge.processor.fuzz.FuzzCase.FieldFlaw;
import dev.netforge.processor.fuzz.FuzzCase.Int;
import dev.netforge.processor.fuzz.FuzzCase.Ints;
import dev.netforge.processor.fuzz.FuzzCase.Kind;
import dev.netforge.processor.fuzz.FuzzCase.Layer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded random {@link FuzzCase}s: every layer kind and attribute, sizes from 1 up, valid stacks and
 * invalid ones on purpose. Three modes per case: <em>sane</em> (a stack built to be valid and small
 * enough to run against the reference), <em>mutated</em> (a sane stack with one to three mutations:
 * an extreme or malformed attribute, a foreign layer inserted, layers swapped, a flawed field, a bad
 * input) and <em>wild</em> (any kind anywhere, extreme values everywhere: 0, negatives,
 * {@code Integer.MIN_VALUE}/{@code MAX_VALUE}, kernels larger than inputs, sizes whose products
 * overflow {@code int} and even {@code long}). The same seed always gives the same cases.
 */
public final class FuzzGenerator {
    /** Values at and around every boundary an {@code int} attribute has. */
    static final int[] EXTREME_INTS = {0, -1, -3, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE - 8,
        Integer.MAX_VALUE - 9, 46_341, 65_536, 65_537, 1 << 20, 1 << 30, 100_000, 1_000_000_007};
    static final double[] EXTREME_EPSILONS = {0.0, -0.0, -1e-3, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1e300, 1e-300, Double.MAX_VALUE};
    static final double[] EXTREME_RATES = {-0.1, 1.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY, 0.999999, -0.0,
        Double.MIN_VALUE, Math.nextDown(1.0), -Double.MIN_VALUE};
    /** Field names that collide with the generated class's members, locals and parameters. */
    static final String[] HOSTILE_NAMES = {"input", "output", "weights", "tensors", "scratchA", "scratchB", "pad",
        "summary", "forward", "INPUT_SIZE", "OUTPUT_SIZE", "PARAMETER_COUNT", "Weights", "layer0", "layer1", "text",
        "parameters", "in", "out", "o", "i", "e", "x", "k", "f", "c", "h", "w", "t", "kernel", "bias", "padded",
        "softmax", "erfc", "load0", "summaryPart0", "forwardPart0", "$", "$x", "_y", "\u00e9t\u00e9",
        "\u03bb", "of", "hashCode", "getClass", "String", "Math", "System", "java", "Objects", "Arrays"};
    static final String[] EXTRA_MEMBERS = {"int notALayer;", "static final int K = 3;", "void method() { }",
        "Layer unannotated;", "static Layer shared;", "private final String name = \"x\";",
        "public String toString() { return \"model\"; }"};

    private final SplittableRandom random;

    public FuzzGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public FuzzCase next(String className) {
        int mode = random.nextInt(100);
        FuzzCase c;
        if (mode < 52) {
            c = sane(className);
        } else if (mode < 87) {
            c = sane(className);
            int mutations = 1 + random.nextInt(random.nextInt(3) + 1);
            for (int m = 0; m < mutations; m++) {
                c = mutate(c);
            }
        } else {
            c = wild(className);
        }
        if (random.nextInt(8) == 0) {
            c = hostileNames(c);
        }
        c = uniqueNames(c);
        if (random.nextInt(10) == 0) {
            List<String> members = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                String member = EXTRA_MEMBERS[random.nextInt(EXTRA_MEMBERS.length)];
                if (!members.contains(member)) {
                    members.add(member);
                }
            }
            c = c.withExtraMembers(members);
        }
        return c;
    }

    // ------------------------------------------------------------------------------------------
    // Sane stacks: valid by construction (checked with the oracle), small enough to run
    // ------------------------------------------------------------------------------------------

    private FuzzCase sane(String className) {
        Attr input;
        if (random.nextInt(10) < 7) {
            input = new Ints(new int[] {small(12), small(12), 1 + random.nextInt(4)}, true);
        } else {
            int n = 1 + random.nextInt(48);
            input = new Ints(new int[] {n}, random.nextInt(5) > 0);
        }
        FuzzCase c = new FuzzCase(className, input, List.of(), List.of());
        int count = 1 + random.nextInt(7);
        for (int i = 0; i < count; i++) {
            Oracle.Expectation now = Oracle.expect(c.layers().isEmpty() ? c.withLayers(List.of(
                    layer(Kind.DROPOUT, "probe", Map.of("rate", Dbl.of(0.0))))) : c);
            long[] shape = now.outputShape();
            FuzzCase next = null;
            for (int attempt = 0; attempt < 8 && next == null; attempt++) {
                List<Layer> layers = new ArrayList<>(c.layers());
                layers.add(saneLayer(shape, "l" + i));
                FuzzCase candidate = c.withLayers(layers);
                Oracle.Expectation e = Oracle.expect(candidate);
                if (e.valid() && e.largestArray() <= 20_000 && e.parameters() <= 100_000) {
                    next = candidate;
                }
            }
            if (next == null) {
                break;
            }
            c = next;
        }
        if (c.layers().isEmpty()) {
            c = c.withLayers(List.of(layer(Kind.ACTIVATION, "l0", Map.of("value", activationAttr()))));
        }
        return c;
    }

    private Layer saneLayer(long[] shape, String name) {
        boolean image = shape.length == 3;
        if (!image) {
            int pick = random.nextInt(20);
            if (pick < 11) {
                return dense(1 + random.nextInt(12), name);
            } else if (pick < 14) {
                return batchNorm(name, false);
            } else if (pick < 16) {
                return dropout(name, false);
            } else if (pick < 19) {
                return layer(Kind.ACTIVATION, name, Map.of("value", activationAttr()));
            }
            return layer(Kind.FLATTEN, name, Map.of());
        }
        int h = (int) Math.min(shape[0], 64), w = (int) Math.min(shape[1], 64);
        switch (random.nextInt(13)) {
            case 0, 1 -> {
                return conv(name, Kind.CONV2D, h, w);
            }
            case 2 -> {
                return conv(name, Kind.DEPTHWISE, h, w);
            }
            case 3 -> {
                return pool(name, Kind.MAX_POOL, h, w);
            }
            case 4 -> {
                return pool(name, Kind.AVG_POOL, h, w);
            }
            case 5 -> {
                return layer(Kind.GLOBAL_AVG, name, Map.of());
            }
            case 6 -> {
                return layer(Kind.GLOBAL_MAX, name, Map.of());
            }
            case 7, 8 -> {
                return layer(Kind.FLATTEN, name, Map.of());
            }
            case 9 -> {
                return batchNorm(name, false);
            }
            case 10 -> {
                return zeroPadding(name, false);
            }
            case 11 -> {
                return dropout(name, false);
            }
            default -> {
                return layer(Kind.ACTIVATION, name, Map.of("value", activationAttr()));
            }
        }
    }

    private Layer conv(String name, Kind kind, int h, int w) {
        Map<String, Attr> attrs = new LinkedHashMap<>();
        boolean same = random.nextInt(5) < 2;
        if (kind == Kind.CONV2D) {
            attrs.put("filters", new Int(1 + random.nextInt(6)));
        }
        int kh = 1 + random.nextInt(Math.max(1, Math.min(same ? 5 : h, 5)));
        int kw = random.nextInt(3) == 0 ? 1 + random.nextInt(Math.max(1, Math.min(same ? 5 : w, 5))) : kh;
        attrs.put("kernel", pairAttr(kh, kw));
        boolean dilated = random.nextInt(6) == 0;
        if (!dilated && random.nextBoolean()) {
            attrs.put("strides", pairAttr(1 + random.nextInt(3), 1 + random.nextInt(3)));
        }
        if (same || random.nextInt(4) == 0) {
            attrs.put("padding", new FuzzCase.Enum("Padding", same ? "SAME" : "VALID"));
        }
        if (kind == Kind.DEPTHWISE && random.nextBoolean()) {
            attrs.put("depthMultiplier", new Int(1 + random.nextInt(3)));
        }
        if (dilated) {
            attrs.put("dilation", pairAttr(1 + random.nextInt(3), 1 + random.nextInt(3)));
        }
        if (random.nextBoolean()) {
            attrs.put("activation", activationAttr());
        }
        if (random.nextInt(5) == 0) {
            attrs.put("useBias", new Bool(random.nextInt(3) > 0 ? false : true));
        }
        return layer(kind, name, attrs);
    }

    private Layer pool(String name, Kind kind, int h, int w) {
        Map<String, Attr> attrs = new LinkedHashMap<>();
        boolean same = random.nextInt(3) == 0;
        int ph = 1 + random.nextInt(Math.max(1, Math.min(same ? 4 : h, 4)));
        int pw = random.nextInt(3) == 0 ? 1 + random.nextInt(Math.max(1, Math.min(same ? 4 : w, 4))) : ph;
        boolean shorthand = false;
        if (!(ph == 2 && pw == 2) || random.nextBoolean()) {
            attrs.put("value", pairAttr(ph, pw));
            shorthand = random.nextBoolean();
        }
        int strides = random.nextInt(4);
        if (strides == 1) {
            attrs.put("strides", new Ints(new int[0], true));
        } else if (strides >= 2) {
            attrs.put("strides", pairAttr(1 + random.nextInt(3), 1 + random.nextInt(3)));
        }
        if (same || random.nextInt(5) == 0) {
            attrs.put("padding", new FuzzCase.Enum("Padding", same ? "SAME" : "VALID"));
        }
        return new Layer(kind, name, attrs, shorthand && attrs.size() == 1, FieldFlaw.NONE);
    }

    private Layer dense(int units, String name) {
        Map<String, Attr> attrs = new LinkedHashMap<>();
        attrs.put("units", new Int(units));
        if (random.nextBoolean()) {
            attrs.put("activation", activationAttr());
        }
        if (random.nextInt(5) == 0) {
            attrs.put("useBias", new Bool(random.nextInt(3) == 0));
        }
        return layer(Kind.DENSE, name, attrs);
    }

    private Layer batchNorm(String name, boolean extreme) {
        if (extreme) {
            return layer(Kind.BATCH_NORM, name, Map.of("epsilon",
                    Dbl.of(EXTREME_EPSILONS[random.nextInt(EXTREME_EPSILONS.length)])));
        }
        if (random.nextInt(5) < 3) {
            return new Layer(Kind.BATCH_NORM, name, Map.of(), random.nextInt(4) == 0, FieldFlaw.NONE);
        }
        double[] epsilons = {1e-5, 0.001, 0.01, 0.5, 1.0};
        double epsilon = epsilons[random.nextInt(epsilons.length)];
        return layer(Kind.BATCH_NORM, name, Map.of("epsilon", random.nextInt(4) == 0 && epsilon == 1.0
                ? new Dbl(1.0, "1") : Dbl.of(epsilon)));
    }

    private Layer dropout(String name, boolean extreme) {
        if (extreme) {
            double rate = EXTREME_RATES[random.nextInt(EXTREME_RATES.length)];
            return layer(Kind.DROPOUT, name, Map.of("rate", rate == 1.0 && random.nextBoolean()
                    ? new Dbl(1.0, "1") : Dbl.of(rate)));
        }
        double[] rates = {0.0, 0.1, 0.25, 0.5, 0.9};
        double rate = rates[random.nextInt(rates.length)];
        return layer(Kind.DROPOUT, name, Map.of("rate", rate == 0.0 && random.nextBoolean()
                ? new Dbl(0.0, "0") : Dbl.of(rate)));
    }

    private Layer zeroPadding(String name, boolean extreme) {
        if (extreme && random.nextInt(4) == 0) { // both axes near 2^32: the output's size overflows long
            return new Layer(Kind.ZERO_PADDING, name, Map.of("value", new Ints(new int[] {hugeInt()}, random.nextBoolean())),
                    random.nextBoolean(), FieldFlaw.NONE);
        }
        int length = new int[] {1, 2, 4}[random.nextInt(3)];
        if (extreme && random.nextBoolean()) {
            length = new int[] {0, 3, 5}[random.nextInt(3)];
        }
        int[] values = new int[length];
        for (int i = 0; i < length; i++) {
            values[i] = extreme && random.nextInt(3) == 0 ? extremeInt() : random.nextInt(3);
        }
        if (length == 1 && values[0] == 1 && random.nextBoolean()) {
            return new Layer(Kind.ZERO_PADDING, name, Map.of(), false, FieldFlaw.NONE);
        }
        Attr attr = length == 1 && random.nextBoolean() ? new Ints(values, false) : new Ints(values, true);
        return new Layer(Kind.ZERO_PADDING, name, Map.of("value", attr), random.nextBoolean(), FieldFlaw.NONE);
    }

    // ------------------------------------------------------------------------------------------
    // Mutations and wild cases
    // ------------------------------------------------------------------------------------------

    private FuzzCase mutate(FuzzCase c) {
        List<Layer> layers = new ArrayList<>(c.layers());
        if (layers.isEmpty()) {
            return random.nextBoolean() ? c.withInput(wildInput()) : c;
        }
        switch (random.nextInt(12)) {
            case 0, 1, 2, 3 -> { // an extreme or malformed attribute value
                int index = random.nextInt(layers.size());
                layers.set(index, extremeAttribute(layers.get(index)));
            }
            case 4, 5 -> { // a layer of any kind, with any values, anywhere
                int index = random.nextInt(layers.size() + 1);
                layers.add(index, wildLayer("m" + layers.size() + "_" + random.nextInt(1000)));
            }
            case 6 -> { // two layers swapped
                if (layers.size() >= 2) {
                    int a = random.nextInt(layers.size()), b = random.nextInt(layers.size());
                    Layer first = layers.get(a);
                    layers.set(a, layers.get(b));
                    layers.set(b, first);
                }
            }
            case 7 -> { // a flawed field
                int index = random.nextInt(layers.size());
                FieldFlaw[] flaws = {FieldFlaw.STATIC, FieldFlaw.WRONG_TYPE, FieldFlaw.SECOND_ANNOTATION};
                layers.set(index, layers.get(index).withFlaw(flaws[random.nextInt(flaws.length)]));
            }
            case 8 -> {
                return c.withInput(wildInput());
            }
            case 9 -> { // a layer removed, or all of them
                if (random.nextInt(6) == 0) {
                    layers.clear();
                } else if (layers.size() > 1) {
                    layers.remove(random.nextInt(layers.size()));
                }
            }
            case 10 -> { // the deepest stacks: right at and just over the 1,000-layer limit
                if (random.nextInt(25) == 0) {
                    int target = random.nextBoolean() ? 1000 : 1001;
                    while (layers.size() < target) {
                        layers.add(layer(Kind.ACTIVATION, "deep" + layers.size(),
                                Map.of("value", new FuzzCase.Enum("Activation", random.nextBoolean() ? "LINEAR" : "RELU"))));
                    }
                    while (layers.size() > target) {
                        layers.remove(layers.size() - 1);
                    }
                } else {
                    int index = random.nextInt(layers.size());
                    layers.add(index, layers.get(index).withField(layers.get(index).field() + "_copy"));
                }
            }
            default -> { // epsilon or rate out of range
                int index = random.nextInt(layers.size() + 1);
                layers.add(index, random.nextBoolean() ? batchNorm("bn_" + index, true) : dropout("drop_" + index, true));
            }
        }
        return c.withLayers(layers);
    }

    private FuzzCase wild(String className) {
        Attr input = random.nextInt(3) == 0 ? wildInput()
                : new Ints(new int[] {small(40), small(40), small(8)}, true);
        List<Layer> layers = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            layers.add(random.nextInt(3) == 0 ? extremeAttribute(wildLayer("w" + i)) : wildLayer("w" + i));
        }
        return new FuzzCase(className, input, layers, List.of());
    }

    private Attr wildInput() {
        int[] lengths = {0, 1, 2, 3, 3, 3, 4};
        int[] values = new int[lengths[random.nextInt(lengths.length)]];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(3) == 0 ? extremeInt() : 1 + random.nextInt(30);
        }
        int pick = random.nextInt(10);
        if (pick == 0) {
            values = new int[] {46_341, 46_341, 1}; // 2,147,488,281 values: just over an int
        } else if (pick == 1) {
            values = new int[] {1, 1, Integer.MAX_VALUE - 8}; // exactly the largest array
        } else if (pick == 2) {
            values = new int[] {65_536, 65_536, 65_536}; // the product overflows int and wraps to 0
        } else if (pick == 3) {
            values = new int[] {1 << 30, 1 << 30, 16}; // the product overflows long and wraps to 0
        } else if (pick == 4) { // three large sizes: a product far beyond long
            values = new int[] {1 + random.nextInt(Integer.MAX_VALUE), 1 + random.nextInt(Integer.MAX_VALUE),
                1 + random.nextInt(64)};
        }
        return new Ints(values, values.length != 1 || random.nextBoolean());
    }

    private Layer wildLayer(String name) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        return switch (kind) {
            case CONV2D, DEPTHWISE -> {
                Layer layer = conv(name, kind, 1 + random.nextInt(8), 1 + random.nextInt(8));
                yield random.nextBoolean() ? extremeAttribute(layer) : layer;
            }
            case MAX_POOL, AVG_POOL -> pool(name, kind, 1 + random.nextInt(8), 1 + random.nextInt(8));
            case DENSE -> dense(random.nextInt(4) == 0 ? extremeInt() : 1 + random.nextInt(64), name);
            case BATCH_NORM -> batchNorm(name, random.nextInt(3) == 0);
            case DROPOUT -> dropout(name, random.nextInt(3) == 0);
            case ZERO_PADDING -> zeroPadding(name, random.nextBoolean());
            case ACTIVATION -> layer(kind, name, Map.of("value", activationAttr()));
            default -> new Layer(kind, name, Map.of(), false, FieldFlaw.NONE);
        };
    }

    /** One of the layer's numeric attributes (present or not) set to an extreme or malformed value. */
    private Layer extremeAttribute(Layer layer) {
        List<String> names = switch (layer.kind()) {
            case CONV2D -> List.of("filters", "kernel", "kernel", "strides", "dilation");
            case DEPTHWISE -> List.of("kernel", "kernel", "strides", "dilation", "depthMultiplier");
            case MAX_POOL, AVG_POOL -> List.of("value", "value", "strides");
            case DENSE -> List.of("units");
            case ZERO_PADDING -> List.of("value");
            case BATCH_NORM -> List.of("epsilon");
            case DROPOUT -> List.of("rate");
            default -> List.of();
        };
        if (names.isEmpty()) {
            return layer;
        }
        String name = names.get(random.nextInt(names.size()));
        Attr value;
        switch (name) {
            case "filters", "units", "depthMultiplier" -> value = new Int(extremeInt());
            case "epsilon" -> value = Dbl.of(EXTREME_EPSILONS[random.nextInt(EXTREME_EPSILONS.length)]);
            case "rate" -> value = Dbl.of(EXTREME_RATES[random.nextInt(EXTREME_RATES.length)]);
            case "value" -> {
                if (layer.kind() == Kind.ZERO_PADDING) {
                    return zeroPadding(layer.field(), true);
                }
                value = extremeInts();
            }
            case "kernel" -> {
                if (random.nextInt(4) == 0) { // a huge square kernel, 'same': padded sizes beyond long
                    return layer.with("kernel", new Ints(new int[] {hugeInt()}, random.nextBoolean()))
                            .with("padding", new FuzzCase.Enum("Padding", "SAME"));
                }
                value = extremeInts();
            }
            default -> value = extremeInts();
        }
        if (name.equals("padding")) {
            return layer;
        }
        Layer changed = layer.with(name, value);
        if (random.nextInt(3) == 0 && (layer.kind() == Kind.CONV2D || layer.kind() == Kind.DEPTHWISE
                || layer.kind() == Kind.MAX_POOL || layer.kind() == Kind.AVG_POOL)) {
            changed = changed.with("padding", new FuzzCase.Enum("Padding", random.nextBoolean() ? "SAME" : "VALID"));
        }
        return changed;
    }

    /** An {@code int[]} of any length 0 to 3, with at least one extreme value when it has any. */
    private Ints extremeInts() {
        int length = new int[] {0, 1, 1, 2, 2, 2, 3}[random.nextInt(7)];
        int[] values = new int[length];
        for (int i = 0; i < length; i++) {
            values[i] = random.nextBoolean() ? extremeInt() : 1 + random.nextInt(4);
        }
        if (length > 0) {
            values[random.nextInt(length)] = extremeInt();
        }
        return new Ints(values, length != 1 || random.nextBoolean());
    }

    private int hugeInt() {
        int[] huge = {Integer.MAX_VALUE, Integer.MAX_VALUE - 8, 1 << 30, 1_000_000_007, 1 << 31 >>> 1};
        return huge[random.nextInt(huge.length)];
    }

    private int extremeInt() {
        return random.nextInt(5) == 0 ? -random.nextInt(1, 100) : EXTREME_INTS[random.nextInt(EXTREME_INTS.length)];
    }

    private FuzzCase hostileNames(FuzzCase c) {
        List<Layer> layers = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Layer layer : c.layers()) {
            String name = layer.field();
            if (random.nextInt(3) == 0) {
                String candidate = HOSTILE_NAMES[random.nextInt(HOSTILE_NAMES.length)];
                if (!used.contains(candidate)) {
                    name = candidate;
                }
            }
            used.add(name);
            layers.add(layer.withField(name));
        }
        return c.withLayers(layers);
    }

    /** Field names made unique: a duplicate field is javac's error, not the processor's. */
    private static FuzzCase uniqueNames(FuzzCase c) {
        List<Layer> layers = new ArrayList<>(c.layers());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            String name = layers.get(i).field();
            while (!seen.add(name)) {
                name = name + "_" + i;
            }
            layers.set(i, layers.get(i).withField(name));
        }
        return c.withLayers(layers);
    }

    // ------------------------------------------------------------------------------------------

    private Attr activationAttr() {
        Activation[] all = Activation.values();
        return new FuzzCase.Enum("Activation", all[random.nextInt(all.length)].name());
    }

    /** {@code 3} or {@code {3}} when both axes agree (or sometimes {@code {3, 3}}), else {@code {3, 5}}. */
    private Ints pairAttr(int a, int b) {
        if (a == b && random.nextInt(4) > 0) {
            return new Ints(new int[] {a}, random.nextBoolean());
        }
        return new Ints(new int[] {a, b}, true);
    }

    /** 1 to max, mostly small. */
    private int small(int max) {
        return 1 + random.nextInt(1 + random.nextInt(max));
    }

    private static Layer layer(Kind kind, String name, Map<String, Attr> attrs) {
        return new Layer(kind, name, attrs, false, FieldFlaw.NONE);
    }
}
