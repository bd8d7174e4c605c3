package dev.netforge.spark.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netforge.spark.SparkTestSession;
import dev.netforge.spark.fashion.FashionMnistData;
import dev.netforge.spark.fashion.FashionNetForward;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example job end to end on Parquet: the test set written from the shipped images, scored,
 * the predictions written and read back; its accuracy is the single-machine one (the sample's
 * loop over the same images) and every written prediction is that image's.
 */
class SparkScoreFashionMnistTest {
    @Test
    void scoresTheParquetTestSetWithTheSingleMachineAccuracy(@TempDir Path dir) {
        SparkSession spark = SparkTestSession.get();
        String input = dir.resolve("fashion-mnist-test.parquet").toString();
        String output = dir.resolve("predictions.parquet").toString();
        FashionMnistData.writeParquet(spark, input);

        ScoreFashionMnist.Result result = ScoreFashionMnist.score(spark, input, output);

        byte[] images = FashionMnistData.images(), labels = FashionMnistData.labels();
        FashionNetForward net = new FashionNetForward();
        int[] expected = new int[FashionMnistData.IMAGES];
        int correct = 0;
        for (int i = 0; i < FashionMnistData.IMAGES; i++) {
            float[] probabilities = new float[FashionNetForward.OUTPUT_SIZE];
            net.forward(FashionMnistData.pixels(images, i), probabilities);
            int best = 0;
            for (int c = 1; c < probabilities.length; c++) {
                best = probabilities[c] > probabilities[best] ? c : best;
            }
            expected[i] = best;
            correct += best == labels[i] ? 1 : 0;
        }
        assertEquals(new ScoreFashionMnist.Result(FashionMnistData.IMAGES, correct, 0), result);
        assertEquals(914, correct, "the sample's (and PyTorch's) 91.4% on these 1,000 images");

        List<Row> written = spark.read().parquet(output).select("id", "label", "prediction", "error")
                .collectAsList();
        assertEquals(FashionMnistData.IMAGES, written.size());
        for (Row row : written) {
            int id = row.getInt(0);
            assertEquals(labels[id], row.getInt(1), "label of image " + id);
            assertEquals(expected[id], row.getInt(2), "prediction of image " + id);
        }
        System.out.printf("example job: %d/%d correct (%.1f%%)%n", result.correct(), result.images(),
                100 * result.accuracy());
    }
}
