package dev.netforge.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netforge.spark.fashion.FashionMnistData;
import dev.netforge.spark.fashion.FashionNetForward;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * The partition function without Spark around it, on the Fashion-MNIST model: once warmed up,
 * scoring a row allocates only the output row (its values array, the 10 probabilities, the row
 * object: about 110 bytes), under 256 bytes, for binary inputs and for the boxed float arrays
 * Spark 4 hands over for array&lt;float&gt;. A copy of the input (3 KB) or a model instance per row
 * (its scratch arrays, tens of KB) would exceed it many times.
 */
class SparkScorePartitionAllocationTest {
    private static final String FASHION = FashionNetForward.class.getName();
    private static final int ROWS = 2_000;
    private static final long BYTES_PER_ROW = 256;

    @Test
    void binaryRowsAllocateOnlyTheOutputRow() {
        byte[] images = FashionMnistData.images();
        List<Row> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            rows.add(RowFactory.create(i, FashionMnistData.image(images, i % FashionMnistData.IMAGES)));
        }
        assertSteadyAllocationBelowLimit(new ScorePartition(FASHION, null, "image", 1, ScorePartition.InputKind.BYTES,
                255f, true, true, true), rows);
    }

    @Test
    void boxedFloatArrayRowsAllocateOnlyTheOutputRow() {
        byte[] images = FashionMnistData.images();
        List<Row> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            float[] pixels = FashionMnistData.pixels(images, i % FashionMnistData.IMAGES);
            Float[] boxed = new Float[pixels.length];
            for (int p = 0; p < pixels.length; p++) {
                boxed[p] = pixels[p];
            }
            rows.add(RowFactory.create(i, new scala.collection.mutable.ArraySeq.ofRef<>(boxed)));
        }
        assertSteadyAllocationBelowLimit(new ScorePartition(FASHION, null, "pixels", 1,
                ScorePartition.InputKind.FLOATS, 255f, true, true, true), rows);
    }

    /**
     * Passes over the rows until the JIT has compiled the loop and the Vector API kernels (whose
     * interpreted code allocates; at most 30 s), then the figure must be low.
     */
    private static void assertSteadyAllocationBelowLimit(ScorePartition function, List<Row> rows) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + 30_000_000_000L;
        double perRow;
        int passes = 0;
        do {
            long before = threads.getCurrentThreadAllocatedBytes();
            Iterator<Row> scored = function.call(rows.iterator());
            int count = 0;
            long checksum = 0;
            while (scored.hasNext()) {
                Row row = scored.next();
                checksum += row.getInt(3);
                assertTrue(row.isNullAt(4), "scored without error");
                count++;
            }
            perRow = (double) (threads.getCurrentThreadAllocatedBytes() - before) / count;
            assertEquals(ROWS, count);
            assertTrue(checksum >= 0);
            passes++;
        } while (perRow >= BYTES_PER_ROW && System.nanoTime() < deadline);
        System.out.printf("%.1f bytes allocated per row after %d passes of %d rows%n", perRow, passes, ROWS);
        assertTrue(perRow < BYTES_PER_ROW, perRow + " bytes allocated per row");
    }
}
