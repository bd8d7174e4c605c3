package dev.netforge.spark.fashion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The first 1,000 Fashion-MNIST test images and labels shipped in this module's test resources
 * (copied from the sample, with their licence, LICENSE-fashion-mnist.txt), as arrays and as Spark
 * rows and Parquet.
 */
public final class FashionMnistData {
    public static final int IMAGES = 1000;
    public static final int PIXELS = 28 * 28;

    /** id, label, image: the 784 raw pixel bytes (28x28x1, row by row). */
    public static final StructType IMAGE_SCHEMA = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("image", DataTypes.BinaryType, false);

    /** id, label, pixels: 784 floats, each pixel / 255 (no null elements). */
    public static final StructType PIXEL_SCHEMA = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private FashionMnistData() {
    }

    public static byte[] images() {
        return resource("test-images-1000.u8");
    }

    public static byte[] labels() {
        return resource("test-labels-1000.u8");
    }

    /** Image {@code i}'s raw bytes. */
    public static byte[] image(byte[] images, int i) {
        return Arrays.copyOfRange(images, i * PIXELS, (i + 1) * PIXELS);
    }

    /** Image {@code i} scaled as in training and in the sample: {@code (b & 0xFF) / 255f}. */
    public static float[] pixels(byte[] images, int i) {
        float[] pixels = new float[PIXELS];
        for (int p = 0; p < PIXELS; p++) {
            pixels[p] = (images[i * PIXELS + p] & 0xFF) / 255f;
        }
        return pixels;
    }

    /** The 1,000 images as rows of {@link #IMAGE_SCHEMA}. */
    public static List<Row> imageRows() {
        byte[] images = images(), labels = labels();
        List<Row> rows = new ArrayList<>(IMAGES);
        for (int i = 0; i < IMAGES; i++) {
            rows.add(RowFactory.create(i, (int) labels[i], image(images, i)));
        }
        return rows;
    }

    /** The 1,000 images as rows of {@link #PIXEL_SCHEMA}. */
    public static List<Row> pixelRows() {
        byte[] images = images(), labels = labels();
        List<Row> rows = new ArrayList<>(IMAGES);
        for (int i = 0; i < IMAGES; i++) {
            rows.add(RowFactory.create(i, (int) labels[i], pixels(images, i)));
        }
        return rows;
    }

    /** Writes the 1,000 images as Parquet ({@link #IMAGE_SCHEMA}, 4 files) at {@code path}, replacing it. */
    public static void writeParquet(SparkSession spark, String path) {
        Dataset<Row> images = spark.createDataFrame(imageRows(), IMAGE_SCHEMA).repartition(4);
        images.write().mode(SaveMode.Overwrite).parquet(path);
    }

    static byte[] resource(String name) {
        try (InputStream in = FashionMnistData.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
