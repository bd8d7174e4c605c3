package dev.netforge.spark.examples;

import static org.apache.spark.sql.functions.col;

import dev.netforge.spark.NetForgeScorer;
import dev.netforge.spark.fashion.FashionMnistData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Example job: scores the Fashion-MNIST test images stored as Parquet (columns id, label, image:
 * 784 raw pixel bytes) with the Fashion-MNIST sample model, writes the predictions as Parquet and
 * prints the accuracy.
 *
 * <pre>
 * ScoreFashionMnist [input.parquet [output.parquet]]
 * </pre>
 *
 * Defaults: {@code target/fashion-mnist-test.parquet}, written first from the 1,000 shipped images
 * when it does not exist, and {@code target/fashion-mnist-predictions.parquet}. Under
 * spark-submit the master is spark-submit's; run directly, {@code local[*]}.
 */
public final class ScoreFashionMnist {
    /** The generated class, by name: the driver needs no instance of it. */
    public static final String MODEL = "dev.netforge.spark.fashion.FashionNetForward";

    private ScoreFashionMnist() {
    }

    /** What the job measured. */
    public record Result(long images, long correct, long errors) {
        public double accuracy() {
            return (double) correct / images;
        }
    }

    public static void main(String[] args) {
        String input = args.length > 0 ? args[0] : "target/fashion-mnist-test.parquet";
        String output = args.length > 1 ? args[1] : "target/fashion-mnist-predictions.parquet";
        SparkSession.Builder builder = SparkSession.builder().appName("ScoreFashionMnist");
        if (!new SparkConf().contains("spark.master")) {
            builder.master("local[*]");
        }
        SparkSession spark = builder.getOrCreate();
        try {
            if (!Files.exists(Path.of(input))) {
                FashionMnistData.writeParquet(spark, input);
            }
            Result result = score(spark, input, output);
            System.out.printf(Locale.ROOT, "Accuracy on %d Fashion-MNIST test images: %.1f%% (%d/%d), %d rows"
                    + " not scored; predictions in %s%n", result.images(), 100 * result.accuracy(),
                    result.correct(), result.images(), result.errors(), output);
        } finally {
            spark.stop();
        }
    }

    /** Scores {@code input}, writes {@code output} (id, label, probabilities, prediction, error) and counts. */
    public static Result score(SparkSession spark, String input, String output) {
        Dataset<Row> testSet = spark.read().parquet(input);
        Dataset<Row> scored = NetForgeScorer.of(MODEL)
                .inputColumn("image")              // binary, 784 bytes; each pixel / 255 (the default)
                .probabilitiesColumn("probabilities")
                .predictionColumn("prediction")
                .errorColumn("error")
                .transform(testSet)
                .drop("image");
        scored.write().mode(SaveMode.Overwrite).parquet(output);
        Dataset<Row> predictions = spark.read().parquet(output);
        long images = predictions.count();
        long correct = predictions.filter(col("prediction").equalTo(col("label"))).count();
        long errors = predictions.filter(col("error").isNotNull()).count();
        return new Result(images, correct, errors);
    }
}
