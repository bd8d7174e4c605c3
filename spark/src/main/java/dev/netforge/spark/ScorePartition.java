package dev.netforge.spark;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The function {@link NetForgeScorer} runs on each partition: the model of this JVM (its weights
 * built once per executor, see {@link LoadedModel}), one instance and one input array for the task,
 * then per row only the output row (its values, and the probabilities array when asked for).
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /** How the input column is stored. */
    enum InputKind {
        FLOATS, DOUBLES, BYTES
    }

    private final String className;
    private final String parametersResource;
    private final String inputColumn;
    private final int inputIndex;
    private final InputKind inputKind;
    private final float pixelDivisor;
    private final boolean probabilities;
    private final boolean prediction;
    private final boolean error;

    ScorePartition(String className, String parametersResource, String inputColumn, int inputIndex,
            InputKind inputKind, float pixelDivisor, boolean probabilities, boolean prediction, boolean error) {
        this.className = className;
        this.parametersResource = parametersResource;
        this.inputColumn = inputColumn;
        this.inputIndex = inputIndex;
        this.inputKind = inputKind;
        this.pixelDivisor = pixelDivisor;
        this.probabilities = probabilities;
        this.prediction = prediction;
        this.error = error;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        LoadedModel model = LoadedModel.get(className, parametersResource);
        return new Scorer(model, rows);
    }

    /** One task's state: the model instance and its scratch arrays, reused for every row. */
    private final class Scorer implements Iterator<Row> {
        private final LoadedModel model;
        private final Iterator<Row> rows;
        private final Object instance;
        private final float[] input;
        private final float[] output;
        private final float[] pixels;

        Scorer(LoadedModel model, Iterator<Row> rows) {
            this.model = model;
            this.rows = rows;
            this.instance = model.newInstance();
            this.input = new float[model.inputSize()];
            this.output = probabilities ? null : new float[model.outputSize()];
            this.pixels = inputKind == InputKind.BYTES ? pixelTable(pixelDivisor) : null;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Row next() {
            if (!rows.hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = rows.next();
            int width = row.length();
            Object[] values = new Object[width + (probabilities ? 1 : 0) + (prediction ? 1 : 0) + (error ? 1 : 0)];
            for (int i = 0; i < width; i++) {
                values[i] = row.get(i);
            }
            Object value = values[inputIndex];
            float[] in = input;
            String problem = null;
            if (value == null) {
                problem = "input column '" + inputColumn + "' is null";
            } else if (value instanceof scala.collection.mutable.ArraySeq.ofFloat) {
                // A primitive float[], used as it is (forward only reads it). Spark 4.2's Row encoder
                // boxes every element of an array<float> instead (the Seq case below); kept for rows
                // built by hand and for Spark versions that hand over the array.
                in = ((scala.collection.mutable.ArraySeq.ofFloat) value).array();
                problem = lengthProblem(in.length);
            } else if (value instanceof scala.collection.immutable.ArraySeq.ofFloat) {
                in = ((scala.collection.immutable.ArraySeq.ofFloat) value).unsafeArray();
                problem = lengthProblem(in.length);
            } else if (value instanceof byte[]) {
                byte[] bytes = (byte[]) value;
                problem = lengthProblem(bytes.length);
                if (problem == null) {
                    for (int i = 0; i < bytes.length; i++) {
                        in[i] = pixels[bytes[i] & 0xFF];
                    }
                }
            } else if (value instanceof float[]) {
                in = (float[]) value;
                problem = lengthProblem(in.length);
            } else if (value instanceof scala.collection.Seq) {
                problem = copySeq((scala.collection.Seq<?>) value, in);
            } else {
                problem = "input column '" + inputColumn + "' holds a " + value.getClass().getName();
            }
            int at = width;
            if (problem == null) {
                float[] out = probabilities ? new float[model.outputSize()] : output;
                model.forward(instance, in, out);
                if (probabilities) {
                    values[at++] = out;
                }
                if (prediction) {
                    values[at++] = argmax(out);
                }
            } else {
                at += (probabilities ? 1 : 0) + (prediction ? 1 : 0);
            }
            if (error) {
                values[at] = problem;
            }
            return RowFactory.create(values);
        }

        /** array&lt;float&gt; that may hold nulls (boxed elements), or array&lt;double&gt; (rounded to float). */
        private String copySeq(scala.collection.Seq<?> seq, float[] into) {
            String problem = lengthProblem(seq.length());
            if (problem != null) {
                return problem;
            }
            if (seq instanceof scala.collection.mutable.ArraySeq.ofDouble) {
                double[] doubles = ((scala.collection.mutable.ArraySeq.ofDouble) seq).array();
                for (int i = 0; i < into.length; i++) {
                    into[i] = (float) doubles[i];
                }
                return null;
            }
            for (int i = 0; i < into.length; i++) {
                Object element = seq.apply(i);
                if (element == null) {
                    return "input column '" + inputColumn + "' has a null at index " + i;
                }
                into[i] = ((Number) element).floatValue();
            }
            return null;
        }

        private String lengthProblem(int length) {
            return length == model.inputSize() ? null : "input column '" + inputColumn + "' holds " + length
                    + " values; " + model.className() + " expects INPUT_SIZE = " + model.inputSize();
        }
    }

    /** The float of each byte value 0-255: {@code (float) v / divisor}. */
    static float[] pixelTable(float divisor) {
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            table[v] = v / divisor;
        }
        return table;
    }

    /** The index of the largest value, the first of equal ones (NaN never wins). */
    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
