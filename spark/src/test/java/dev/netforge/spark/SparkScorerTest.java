package dev.netforge.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netforge.spark.fashion.FashionMnistData;
import dev.netforge.spark.fashion.FashionNetForward;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NetForgeScorer in local mode ({@code local[2]}): outputs bit for bit those of {@code forward}
 * called directly, the weights built once per JVM, invalid rows reported per row, and clear
 * failures for a class that cannot be used.
 */
class SparkScorerTest {
    private static final String FASHION = FashionNetForward.class.getName();
    private static final String TINY = TinyNetForward.class.getName();
    private static final String TINY_PARAMETERS = "dev/netforge/spark/tiny-parameters.f32";

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkTestSession.get();
    }

    @Test
    void floatArraysScoreExactlyAsForwardDoes() {
        Dataset<Row> data = spark.createDataFrame(FashionMnistData.pixelRows(), FashionMnistData.PIXEL_SCHEMA)
                .repartition(6);
        Dataset<Row> scored = NetForgeScorer.of(FASHION)
                .inputColumn("pixels")
                .probabilitiesColumn("probabilities")
                .predictionColumn("prediction")
                .transform(data);
        assertEquals("struct<id:int,label:int,pixels:array<float>,probabilities:array<float>,prediction:int>",
                scored.schema().simpleString());
        List<Row> rows = scored.collectAsList();
        assertEquals(FashionMnistData.IMAGES, rows.size());
        assertEquals(6, scored.javaRDD().getNumPartitions());

        byte[] images = FashionMnistData.images();
        FashionNetForward net = new FashionNetForward();
        boolean[] seen = new boolean[FashionMnistData.IMAGES];
        for (Row row : rows) {
            int id = row.getInt(0);
            seen[id] = true;
            float[] expected = new float[FashionNetForward.OUTPUT_SIZE];
            net.forward(FashionMnistData.pixels(images, id), expected);
            assertArrayEquals(expected, floats(row, 3), "probabilities of image " + id);
            assertEquals(ScorePartition.argmax(expected), row.getInt(4), "prediction of image " + id);
        }
        assertTrue(allTrue(seen), "every image scored once");
        // 6 partitions on 2 task threads, and the other tests' jobs: one Weights for the JVM
        assertEquals(1, LoadedModel.weightsBuilt(FASHION, null));
    }

    @Test
    void imageBytesScoreExactlyAsForwardOnPixelsOver255() {
        Dataset<Row> data = spark.createDataFrame(FashionMnistData.imageRows(), FashionMnistData.IMAGE_SCHEMA)
                .repartition(3);
        List<Row> rows = NetForgeScorer.of(FashionNetForward.class)
                .inputColumn("image")
                .predictionColumn("prediction")
                .probabilitiesColumn("probabilities")
                .errorColumn("error")
                .transform(data)
                .collectAsList();
        byte[] images = FashionMnistData.images();
        byte[] labels = FashionMnistData.labels();
        FashionNetForward net = new FashionNetForward();
        int correct = 0;
        for (Row row : rows) {
            int id = row.getInt(0);
            float[] expected = new float[FashionNetForward.OUTPUT_SIZE];
            net.forward(FashionMnistData.pixels(images, id), expected);
            assertArrayEquals(expected, floats(row, 3), "probabilities of image " + id);
            assertEquals(ScorePartition.argmax(expected), row.getInt(4), "prediction of image " + id);
            assertNull(row.get(5), "error of image " + id);
            correct += row.getInt(4) == labels[id] ? 1 : 0;
        }
        assertEquals(FashionMnistData.IMAGES, rows.size());
        assertEquals(914, correct, "the sample's accuracy on these images (PyTorch's too): 91.4%");
        assertEquals(1, LoadedModel.weightsBuilt(FASHION, null));
    }

    @Test
    void nullableAndDoubleArraysWithParametersFromAResource() throws IOException {
        TinyNetForward net = new TinyNetForward(tinyParameters());
        StructType schema = new StructType()
                .add("id", DataTypes.IntegerType)
                .add("x", DataTypes.createArrayType(DataTypes.FloatType, true))
                .add("d", DataTypes.createArrayType(DataTypes.DoubleType, false));
        List<Row> input = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            float[] x = {i * 0.25f - 3, (i % 7) * 0.5f, -i * 0.125f, 1.5f - (i % 3)};
            input.add(RowFactory.create(i, boxed(x), toDoubles(x)));
        }
        Dataset<Row> data = spark.createDataFrame(input, schema).repartition(2);
        NetForgeScorer scorer = NetForgeScorer.of(TINY).parametersResource(TINY_PARAMETERS)
                .probabilitiesColumn("p").predictionColumn("c");
        List<Row> fromFloats = scorer.inputColumn("x").transform(data).collectAsList();
        List<Row> fromDoubles = scorer.inputColumn("d").transform(data).collectAsList();
        assertEquals(40, fromFloats.size());
        assertEquals(40, fromDoubles.size());
        for (int k = 0; k < 40; k++) {
            for (Row row : List.of(fromFloats.get(k), fromDoubles.get(k))) {
                int i = row.getInt(0);
                float[] x = {i * 0.25f - 3, (i % 7) * 0.5f, -i * 0.125f, 1.5f - (i % 3)};
                float[] expected = new float[3];
                net.forward(x, expected);
                assertArrayEquals(expected, floats(row, 3), "row " + i);
                assertEquals(ScorePartition.argmax(expected), row.getInt(4), "row " + i);
            }
        }
        assertEquals(1, LoadedModel.weightsBuilt(TINY, TINY_PARAMETERS));
    }

    @Test
    void invalidRowsGetNullOutputsAndAnErrorSayingWhy() {
        StructType schema = new StructType()
                .add("id", DataTypes.IntegerType)
                .add("x", DataTypes.createArrayType(DataTypes.FloatType, true));
        List<Row> input = List.of(
                RowFactory.create(0, boxed(new float[] {1, 2, 3, 4})),
                RowFactory.create(1, null),
                RowFactory.create(2, boxed(new float[] {1, 2, 3})),
                RowFactory.create(3, boxed(new float[] {1, 2, 3, 4, 5})),
                RowFactory.create(4, new Float[] {1f, null, 3f, 4f}),
                RowFactory.create(5, boxed(new float[0])),
                RowFactory.create(6, boxed(new float[] {-1, 0, 1, 2})));
        Dataset<Row> data = spark.createDataFrame(input, schema).coalesce(1);
        List<Row> rows = NetForgeScorer.of(TINY).parametersResource(TINY_PARAMETERS)
                .inputColumn("x").probabilitiesColumn("p").predictionColumn("c").errorColumn("error")
                .transform(data).orderBy("id").collectAsList();
        String expects = "; " + TINY + " expects INPUT_SIZE = 4";
        List<String> errors = Arrays.asList(
                null,
                "input column 'x' is null",
                "input column 'x' holds 3 values" + expects,
                "input column 'x' holds 5 values" + expects,
                "input column 'x' has a null at index 1",
                "input column 'x' holds 0 values" + expects,
                null);
        for (int i = 0; i < errors.size(); i++) {
            Row row = rows.get(i);
            assertEquals(i, row.getInt(0));
            assertEquals(errors.get(i), row.getString(4), "error of row " + i);
            if (errors.get(i) == null) {
                assertNotNull(row.get(2), "probabilities of valid row " + i);
                assertNotNull(row.get(3), "prediction of valid row " + i);
            } else {
                assertTrue(row.isNullAt(2) && row.isNullAt(3), "outputs of invalid row " + i + ": " + row);
            }
        }
        // Without an error column the same rows still come back, with null outputs.
        List<Row> quiet = NetForgeScorer.of(TINY).parametersResource(TINY_PARAMETERS)
                .inputColumn("x").predictionColumn("c").transform(data).orderBy("id").collectAsList();
        assertEquals(7, quiet.size());
        for (int i = 0; i < 7; i++) {
            assertEquals(errors.get(i) != null, quiet.get(i).isNullAt(2), "row " + i + ": " + quiet.get(i));
        }
    }

    @Test
    void aClassThatDoesNotExistFailsNamingItAndTheClassPath() {
        Dataset<Row> data = spark.createDataFrame(FashionMnistData.imageRows().subList(0, 4),
                FashionMnistData.IMAGE_SCHEMA);
        // transform is lazy and the driver needs no model class: the tasks fail, saying why.
        Dataset<Row> scored = NetForgeScorer.of("com.acme.NoSuchNetForward").inputColumn("image")
                .predictionColumn("c").transform(data);
        Exception failure = assertThrows(Exception.class, scored::collectAsList);
        String messages = messages(failure);
        assertTrue(messages.contains("NetForge model class com.acme.NoSuchNetForward not found on this executor's"
                + " class path. Put the jar that holds the generated class com.acme.NoSuchNetForward"), messages);
        assertTrue(messages.contains("netforge-runtime's jar on the executors' class path"), messages);
        assertEquals(0, LoadedModel.weightsBuilt("com.acme.NoSuchNetForward", null));
    }

    @Test
    void theModelClassInsteadOfTheGeneratedOneFailsNamingTheRightOne() {
        Dataset<Row> data = spark.createDataFrame(FashionMnistData.imageRows().subList(0, 4),
                FashionMnistData.IMAGE_SCHEMA);
        Dataset<Row> scored = NetForgeScorer.of("dev.netforge.spark.fashion.FashionNet").inputColumn("image")
                .predictionColumn("c").transform(data);
        String messages = messages(assertThrows(Exception.class, scored::collectAsList));
        assertTrue(messages.contains("dev.netforge.spark.fashion.FashionNet is not a class generated by NetForge"
                + " (no public static int INPUT_SIZE). It looks like the @Model class: name the generated"
                + " dev.netforge.spark.fashion.FashionNetForward."), messages);
    }

    @Test
    void aModelWithoutBundledWeightsNeedsItsParameters() {
        StructType schema = new StructType().add("x", DataTypes.createArrayType(DataTypes.FloatType, false));
        Dataset<Row> data = spark.createDataFrame(List.of(RowFactory.create((Object) new float[4])), schema);
        String messages = messages(assertThrows(Exception.class, () -> NetForgeScorer.of(TINY).inputColumn("x")
                .predictionColumn("c").transform(data).collectAsList()));
        assertTrue(messages.contains(TINY + " has no bundled weights (its @Model names no weights file): give its"
                + " parameter vector with NetForgeScorer.parametersResource(...)"), messages);
        String missing = messages(assertThrows(Exception.class, () -> NetForgeScorer.of(TINY).inputColumn("x")
                .parametersResource("no/such.f32").predictionColumn("c").transform(data).collectAsList()));
        assertTrue(missing.contains("parameter resource no/such.f32 for " + TINY + " not found on this executor's"
                + " class path"), missing);
    }

    @Test
    void theDriverRejectsAMissingOrMistypedInputColumnAndTakenOutputNames() {
        Dataset<Row> data = spark.createDataFrame(FashionMnistData.imageRows().subList(0, 2),
                FashionMnistData.IMAGE_SCHEMA);
        NetForgeScorer scorer = NetForgeScorer.of(FASHION).predictionColumn("prediction");
        assertEquals("no input column: call inputColumn(...)",
                assertThrows(IllegalArgumentException.class, () -> scorer.transform(data)).getMessage());
        assertEquals("no input column 'pixels' in the dataset; its columns: id, label, image",
                assertThrows(IllegalArgumentException.class, () -> scorer.inputColumn("pixels").transform(data))
                        .getMessage());
        assertEquals("input column 'label' is int; NetForgeScorer reads array<float>, array<double> or binary",
                assertThrows(IllegalArgumentException.class, () -> scorer.inputColumn("label").transform(data))
                        .getMessage());
        assertEquals("column 'label' already exists: name the output columns differently",
                assertThrows(IllegalArgumentException.class, () -> scorer.inputColumn("image")
                        .predictionColumn("label").transform(data)).getMessage());
        assertEquals("no output column: call probabilitiesColumn(...) and/or predictionColumn(...)",
                assertThrows(IllegalArgumentException.class, () -> NetForgeScorer.of(FASHION).inputColumn("image")
                        .errorColumn("e").transform(data)).getMessage());
    }

    static float[] floats(Row row, int column) {
        List<Float> list = row.getList(column);
        float[] values = new float[list.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = list.get(i);
        }
        return values;
    }

    static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }

    private static boolean allTrue(boolean[] values) {
        for (boolean value : values) {
            if (!value) {
                return false;
            }
        }
        return true;
    }

    private static Float[] boxed(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }

    static float[] tinyParameters() throws IOException {
        try (InputStream in = SparkScorerTest.class.getClassLoader().getResourceAsStream(TINY_PARAMETERS)) {
            byte[] bytes = in.readAllBytes();
            float[] parameters = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(parameters);
            assertEquals(TinyNetForward.PARAMETER_COUNT, parameters.length);
            return parameters;
        }
    }
}
