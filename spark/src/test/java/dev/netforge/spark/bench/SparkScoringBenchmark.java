package dev.netforge.spark.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.netforge.runtime.Kernels;
import dev.netforge.spark.NetForgeScorer;
import dev.netforge.spark.fashion.FashionMnistData;
import dev.netforge.spark.fashion.FashionNetForward;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows per second per core scoring Fashion-MNIST images (array&lt;float&gt; of 784 values, or
 * binary of 784 bytes, cached in memory) in local[1] and local[2]: NetForge's {@link NetForgeScorer} against the same job calling
 * ONNX Runtime's Java API inside {@code mapPartitions} (one {@code OrtSession} per JVM, one
 * intra-op thread, per task one input tensor and one pinned output tensor; same model and weights,
 * {@code fashion_mnist.onnx}), and Spark alone (the same mapPartitions, output row and
 * probabilities array, no model) for the framework's share. Each pass writes every column of
 * every row to Spark's {@code noop} sink. Not a test: run it with
 * {@code mvn -B -o -q -Pspark-benchmark -pl spark -am verify -DskipTests} (see spark/README.md).
 *
 * <p>Arguments: {@code [copies of the 1,000 images, default 30] [timed passes per engine,
 * default 5] [input column: pixels (array<float>, default) or image (binary)]}.
 */
public final class SparkScoringBenchmark {
    private static final String ONNX = "/dev/netforge/spark/fashion/fashion_mnist.onnx";

    private SparkScoringBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int copies = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String column = args.length > 2 ? args[2] : "pixels";
        if (!column.equals("pixels") && !column.equals("image")) {
            throw new IllegalArgumentException("the input column is pixels (array<float>) or image (binary), not "
                    + column);
        }
        System.out.println("CPU: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors()
                + " processors visible");
        System.out.println("Vector API preferred width: " + vectorWidth());
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        System.out.println("ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion());
        List<String> lines = new ArrayList<>();
        for (int cores : new int[] {1, 2}) {
            SparkSession spark = SparkSession.builder()
                    .master("local[" + cores + "]")
                    .appName("netforge-spark-benchmark")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", String.valueOf(cores))
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            if (cores == 1) {
                System.out.println("Spark " + spark.version());
            }
            try {
                lines.addAll(run(spark, cores, copies, passes, column));
            } finally {
                spark.stop();
            }
        }
        System.out.println();
        System.out.println("Kernels: " + Kernels.get().name() + "; input column " + column + " ("
                + (column.equals("pixels") ? "array<float>, 784 values" : "binary, 784 bytes / 255") + ")");
        System.out.printf(Locale.ROOT, "%-9s %-13s %12s %14s %14s%n", "master", "engine", "rows", "rows/s/core",
                "(passes: min-max)");
        lines.forEach(System.out::println);
    }

    private static List<String> run(SparkSession spark, int cores, int copies, int passes, String column) {
        Dataset<Row> images = column.equals("pixels")
                ? spark.createDataFrame(FashionMnistData.pixelRows(), FashionMnistData.PIXEL_SCHEMA)
                : spark.createDataFrame(FashionMnistData.imageRows(), FashionMnistData.IMAGE_SCHEMA);
        Dataset<Row> data = images.crossJoin(spark.range(copies).withColumnRenamed("id", "copy"))
                .repartition(cores * 4).cache();
        long rows = data.count();
        StructType out = data.schema()
                .add("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false), true)
                .add("prediction", DataTypes.IntegerType, true);
        Map<String, Function<Dataset<Row>, Dataset<Row>>> engines = new java.util.LinkedHashMap<>();
        engines.put("NetForge", d -> NetForgeScorer.of(FashionNetForward.class).inputColumn(column)
                .probabilitiesColumn("probabilities").predictionColumn("prediction").transform(d));
        engines.put("ONNX Runtime", d -> d.mapPartitions(new OrtScore(d.schema().fieldIndex(column)),
                Encoders.row(out)));
        engines.put("Spark alone", d -> d.mapPartitions(new NoModel(), Encoders.row(out)));
        checkAgreement(data, engines);
        Map<String, double[]> seconds = new java.util.LinkedHashMap<>();
        for (String engine : engines.keySet()) {
            seconds.put(engine, new double[passes]);
            for (int warm = 0; warm < 3; warm++) {
                pass(engines.get(engine).apply(data));
            }
        }
        for (int p = 0; p < passes; p++) { // engines interleaved: a noisy neighbour hits all alike
            for (String engine : engines.keySet()) {
                seconds.get(engine)[p] = pass(engines.get(engine).apply(data));
            }
        }
        data.unpersist();
        List<String> lines = new ArrayList<>();
        for (String engine : engines.keySet()) {
            double[] s = seconds.get(engine).clone();
            Arrays.sort(s);
            double median = s[s.length / 2];
            lines.add(String.format(Locale.ROOT, "%-9s %-13s %12d %14.0f %7.0f-%.0f", "local[" + cores + "]", engine,
                    rows, rows / median / cores, rows / s[s.length - 1] / cores, rows / s[0] / cores));
            System.out.println(lines.get(lines.size() - 1) + "   " + Arrays.toString(seconds.get(engine)));
        }
        return lines;
    }

    /** Both models give the same prediction on (nearly) every row: the benchmark times real work. */
    private static void checkAgreement(Dataset<Row> data, Map<String, Function<Dataset<Row>, Dataset<Row>>> engines) {
        Dataset<Row> sample = data.filter("copy = 0");
        List<Row> ours = engines.get("NetForge").apply(sample).select("id", "copy", "prediction").orderBy("id", "copy")
                .collectAsList();
        List<Row> theirs = engines.get("ONNX Runtime").apply(sample).select("id", "copy", "prediction")
                .orderBy("id", "copy").collectAsList();
        int same = 0;
        for (int i = 0; i < ours.size(); i++) {
            same += ours.get(i).equals(theirs.get(i)) ? 1 : 0;
        }
        if (ours.size() != 1000 || same < 998) {
            throw new IllegalStateException("NetForge and ONNX Runtime agree on " + same + " of " + ours.size()
                    + " rows");
        }
        System.out.println("NetForge and ONNX Runtime agree on " + same + " of " + ours.size() + " predictions");
    }

    private static double pass(Dataset<Row> scored) {
        long start = System.nanoTime();
        scored.write().format("noop").mode("overwrite").save();
        return (System.nanoTime() - start) / 1e9;
    }

    /** ONNX Runtime in mapPartitions: one session per JVM, per task its own input and pinned output tensors. */
    static final class OrtScore implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private static OrtSession session;
        private final int inputIndex;

        OrtScore(int inputIndex) {
            this.inputIndex = inputIndex;
        }

        private static synchronized OrtSession session() throws OrtException {
            if (session == null) {
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                    options.setIntraOpNumThreads(1);
                    options.setInterOpNumThreads(1);
                    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                    session = OrtEnvironment.getEnvironment().createSession(onnxModel(), options);
                }
            }
            return session;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) throws OrtException {
            OrtSession ort = session();
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            FloatBuffer input = directFloats(784);
            FloatBuffer output = directFloats(10);
            OnnxTensor inputTensor = OnnxTensor.createTensor(environment, input, new long[] {1, 1, 28, 28});
            OnnxTensor outputTensor = OnnxTensor.createTensor(environment, output, new long[] {1, 10});
            Map<String, OnnxTensor> inputs = Map.of(ort.getInputNames().iterator().next(), inputTensor);
            Map<String, OnnxTensor> outputs = Map.of(ort.getOutputNames().iterator().next(), outputTensor);
            return new Iterator<Row>() {
                private boolean closed;

                @Override
                public boolean hasNext() {
                    boolean more = rows.hasNext();
                    if (!more && !closed) {
                        closed = true;
                        inputTensor.close();
                        outputTensor.close();
                    }
                    return more;
                }

                @Override
                public Row next() {
                    if (!rows.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Row row = rows.next();
                    Object[] values = new Object[row.length() + 2];
                    for (int i = 0; i < row.length(); i++) {
                        values[i] = row.get(i);
                    }
                    Object value = values[inputIndex];
                    if (value instanceof byte[]) {
                        byte[] bytes = (byte[]) value;
                        for (int i = 0; i < bytes.length; i++) {
                            input.put(i, (bytes[i] & 0xFF) / 255f);
                        }
                    } else { // array<float>: Spark 4's Row holds it as boxed Floats
                        scala.collection.Seq<?> pixels = (scala.collection.Seq<?>) value;
                        for (int i = 0; i < 784; i++) {
                            input.put(i, (Float) pixels.apply(i));
                        }
                    }
                    try {
                        ort.run(inputs, outputs).close();
                    } catch (OrtException e) {
                        throw new IllegalStateException(e);
                    }
                    float[] probabilities = new float[10];
                    output.get(0, probabilities);
                    int best = 0;
                    for (int c = 1; c < 10; c++) {
                        best = probabilities[c] > probabilities[best] ? c : best;
                    }
                    values[row.length()] = probabilities;
                    values[row.length() + 1] = best;
                    return RowFactory.create(values);
                }
            };
        }
    }

    /** The same mapPartitions, output row and probabilities array, without a model. */
    static final class NoModel implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            return new Iterator<Row>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    Row row = rows.next();
                    Object[] values = new Object[row.length() + 2];
                    for (int i = 0; i < row.length(); i++) {
                        values[i] = row.get(i);
                    }
                    values[row.length()] = new float[10];
                    values[row.length() + 1] = 0;
                    return RowFactory.create(values);
                }
            };
        }
    }

    private static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    static byte[] onnxModel() {
        try (InputStream in = SparkScoringBenchmark.class.getResourceAsStream(ONNX)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e + ")";
        }
    }

    /** The Vector API's preferred vector size in bits, asked reflectively: the module may be absent. */
    static String vectorWidth() {
        try {
            Class<?> shape = Class.forName("jdk.incubator.vector.VectorShape");
            Object preferred = shape.getMethod("preferredShape").invoke(null);
            return shape.getMethod("vectorBitSize").invoke(preferred) + " bits";
        } catch (ReflectiveOperationException | LinkageError e) {
            return "jdk.incubator.vector not present (" + e.getClass().getSimpleName() + ")";
        }
    }
}
