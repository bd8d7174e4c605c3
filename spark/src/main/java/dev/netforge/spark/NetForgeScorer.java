package dev.netforge.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a Spark {@code Dataset<Row>} with any NetForge generated model, named by its generated
 * class, so the driver needs neither an instance nor the class itself:
 *
 * <pre>{@code
 * Dataset<Row> scored = NetForgeScorer.of("com.acme.NetForward")
 *         .inputColumn("pixels")            // array<float> of INPUT_SIZE values
 *         .probabilitiesColumn("probs")     // array<float> of OUTPUT_SIZE values
 *         .predictionColumn("label")        // int: the index of the largest output
 *         .transform(dataset);
 * }</pre>
 *
 * <p><b>Input.</b> The input column holds one model input per row, flat, channels last (the layout
 * of the generated {@code forward}): {@code array<float>} (or {@code array<double>}, rounded to
 * float) of exactly {@code INPUT_SIZE} values, or {@code binary} of exactly {@code INPUT_SIZE}
 * unsigned bytes (an H*W*C image), each becoming {@code (float) (b & 0xFF) / divisor} with the
 * divisor of {@link #pixelDivisor(float)}, 255 by default (pixels scaled to [0, 1], as
 * torchvision's {@code ToTensor} and the Fashion-MNIST sample do).
 *
 * <p><b>Output.</b> The input columns, then in this order those asked for: the model's output
 * ({@code array<float>}, {@code OUTPUT_SIZE} values: the probabilities of a softmax model), the
 * index of its largest value ({@code int}, the first of equal ones), and an error message
 * ({@code string}).
 *
 * <p><b>Invalid rows.</b> A row whose input is null, has the wrong length, or (in an
 * {@code array<float>}) holds a null element is not scored: its output columns are null, and the
 * error column, when {@link #errorColumn(String) asked for}, says why, for instance
 * {@code input column 'pixels' holds 783 values; com.acme.NetForward expects INPUT_SIZE = 784}.
 * Valid rows have a null error. The job never fails on such a row. Filter with
 * {@code scored.filter(col("error").isNotNull())} to find them.
 *
 * <p><b>On the executors.</b> The function runs with {@code mapPartitions}. Each executor JVM loads
 * the class by name (through the task's context class loader, which sees {@code --jars}) and
 * builds its {@code Weights} once, the first time a task needs it: a static cache keyed by the
 * class name, shared by every task and every scorer of that JVM. Each task then creates one model
 * instance over those weights (instances own only scratch arrays) and reuses it, and one input
 * array, for all its rows: per row it allocates only the output row and its probabilities array.
 * The executors' class path must hold this module's jar, netforge-runtime's jar and the jar with
 * the generated class; a class that cannot be loaded fails the tasks with a message naming it and
 * saying so. Run the executors with {@code --add-modules jdk.incubator.vector}
 * ({@code spark.executor.extraJavaOptions}) for the Vector API kernels.
 *
 * <p><b>Weights.</b> By default those bundled at compile time by {@code @Model(weights = ...)}
 * ({@code Weights.bundled()}); for a model without them, {@link #parametersResource(String)} names
 * the parameter vector (raw little-endian float32) as a class-path resource.
 *
 * <p>Instances are immutable and serializable: each setter returns a new scorer.
 */
public final class NetForgeScorer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String modelClass;
    private final String parametersResource;
    private final String inputColumn;
    private final float pixelDivisor;
    private final String probabilitiesColumn;
    private final String predictionColumn;
    private final String errorColumn;

    private NetForgeScorer(String modelClass, String parametersResource, String inputColumn, float pixelDivisor,
            String probabilitiesColumn, String predictionColumn, String errorColumn) {
        this.modelClass = modelClass;
        this.parametersResource = parametersResource;
        this.inputColumn = inputColumn;
        this.pixelDivisor = pixelDivisor;
        this.probabilitiesColumn = probabilitiesColumn;
        this.predictionColumn = predictionColumn;
        this.errorColumn = errorColumn;
    }

    /**
     * A scorer for the generated class of that binary name, for instance
     * {@code "com.acme.NetForward"} for the {@code @Model} class {@code com.acme.Net}. The class is
     * loaded on the executors only.
     *
     * @param generatedClassName the generated forward class's binary name
     * @return a scorer with no columns set yet
     * @throws IllegalArgumentException if the name is blank
     */
    public static NetForgeScorer of(String generatedClassName) {
        Objects.requireNonNull(generatedClassName, "generatedClassName");
        if (generatedClassName.isBlank()) {
            throw new IllegalArgumentException("the generated class name is blank");
        }
        return new NetForgeScorer(generatedClassName.strip(), null, null, 255f, null, null, null);
    }

    /**
     * A scorer for that generated class ({@code of(generatedClass.getName())}); the executors load it
     * by name from their own class path.
     *
     * @param generatedClass the generated forward class
     * @return a scorer with no columns set yet
     */
    public static NetForgeScorer of(Class<?> generatedClass) {
        return of(generatedClass.getName());
    }

    /**
     * The column holding each row's model input: {@code array<float>}, {@code array<double>} or
     * {@code binary} (see the class description). Required.
     *
     * @param column the input column's name
     * @return a new scorer
     */
    public NetForgeScorer inputColumn(String column) {
        return new NetForgeScorer(modelClass, parametersResource, name(column), pixelDivisor, probabilitiesColumn,
                predictionColumn, errorColumn);
    }

    /**
     * For a {@code binary} input column: each unsigned byte {@code b} becomes
     * {@code (float) b / divisor}. Default 255 (pixels to [0, 1]); 1 feeds the raw values.
     *
     * @param divisor a positive, finite divisor
     * @return a new scorer
     * @throws IllegalArgumentException if the divisor is not positive and finite
     */
    public NetForgeScorer pixelDivisor(float divisor) {
        if (!(divisor > 0) || Float.isInfinite(divisor)) {
            throw new IllegalArgumentException("the pixel divisor must be positive and finite, not " + divisor);
        }
        return new NetForgeScorer(modelClass, parametersResource, inputColumn, divisor, probabilitiesColumn,
                predictionColumn, errorColumn);
    }

    /**
     * Adds the model's output, {@code array<float>} of {@code OUTPUT_SIZE} values, as this column.
     *
     * @param column the new column's name
     * @return a new scorer
     */
    public NetForgeScorer probabilitiesColumn(String column) {
        return new NetForgeScorer(modelClass, parametersResource, inputColumn, pixelDivisor, name(column),
                predictionColumn, errorColumn);
    }

    /**
     * Adds the index of the model output's largest value (the first of equal ones), {@code int}, as
     * this column.
     *
     * @param column the new column's name
     * @return a new scorer
     */
    public NetForgeScorer predictionColumn(String column) {
        return new NetForgeScorer(modelClass, parametersResource, inputColumn, pixelDivisor, probabilitiesColumn,
                name(column), errorColumn);
    }

    /**
     * Adds a {@code string} column, null for a scored row and the reason for a row that was not
     * scored (null input, wrong length, null element).
     *
     * @param column the new column's name
     * @return a new scorer
     */
    public NetForgeScorer errorColumn(String column) {
        return new NetForgeScorer(modelClass, parametersResource, inputColumn, pixelDivisor, probabilitiesColumn,
                predictionColumn, name(column));
    }

    /**
     * Builds the weights from this class-path resource instead of those bundled at compile time: the
     * parameter vector ({@code PARAMETER_COUNT} little-endian float32 values, Keras's
     * {@code get_weights()} flattened and joined), looked up with the generated class's class
     * loader, for instance {@code "com/acme/net-parameters.f32"} in the model's jar.
     *
     * @param resource the resource's path
     * @return a new scorer
     */
    public NetForgeScorer parametersResource(String resource) {
        return new NetForgeScorer(modelClass, name(resource), inputColumn, pixelDivisor, probabilitiesColumn,
                predictionColumn, errorColumn);
    }

    /**
     * The generated class's name.
     *
     * @return the name given to {@link #of(String)}
     */
    public String modelClass() {
        return modelClass;
    }

    /**
     * The schema {@link #transform(Dataset)} returns for that input schema.
     *
     * @param input the schema of the dataset to score
     * @return the input's fields followed by the requested output columns
     * @throws IllegalArgumentException if no input column or no output column is set, the input
     *     column is missing or of another type, or an output column's name is taken
     */
    public StructType outputSchema(StructType input) {
        inputKind(input);
        if (probabilitiesColumn == null && predictionColumn == null) {
            throw new IllegalArgumentException("no output column: call probabilitiesColumn(...) and/or"
                    + " predictionColumn(...)");
        }
        Set<String> taken = new HashSet<>(Arrays.asList(input.fieldNames()));
        StructType schema = input;
        if (probabilitiesColumn != null) {
            schema = schema.add(free(taken, probabilitiesColumn),
                    DataTypes.createArrayType(DataTypes.FloatType, false), true);
        }
        if (predictionColumn != null) {
            schema = schema.add(free(taken, predictionColumn), DataTypes.IntegerType, true);
        }
        if (errorColumn != null) {
            schema = schema.add(free(taken, errorColumn), DataTypes.StringType, true);
        }
        return schema;
    }

    /**
     * Scores every row of the dataset (lazily, like any transformation): see the class description.
     *
     * @param dataset the rows to score
     * @return the rows with the output columns appended, in the input's partitioning and order
     * @throws IllegalArgumentException as {@link #outputSchema(StructType)}
     */
    public Dataset<Row> transform(Dataset<Row> dataset) {
        StructType input = dataset.schema();
        StructType output = outputSchema(input);
        ScorePartition function = new ScorePartition(modelClass, parametersResource, inputColumn,
                input.fieldIndex(inputColumn), inputKind(input), pixelDivisor, probabilitiesColumn != null,
                predictionColumn != null, errorColumn != null);
        return dataset.mapPartitions(function, Encoders.row(output));
    }

    private ScorePartition.InputKind inputKind(StructType schema) {
        if (inputColumn == null) {
            throw new IllegalArgumentException("no input column: call inputColumn(...)");
        }
        if (!Arrays.asList(schema.fieldNames()).contains(inputColumn)) {
            throw new IllegalArgumentException("no input column '" + inputColumn + "' in the dataset; its columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        StructField field = schema.apply(inputColumn);
        DataType type = field.dataType();
        if (type.equals(DataTypes.BinaryType)) {
            return ScorePartition.InputKind.BYTES;
        }
        if (type instanceof ArrayType) {
            DataType element = ((ArrayType) type).elementType();
            if (element.equals(DataTypes.FloatType)) {
                return ScorePartition.InputKind.FLOATS;
            }
            if (element.equals(DataTypes.DoubleType)) {
                return ScorePartition.InputKind.DOUBLES;
            }
        }
        throw new IllegalArgumentException("input column '" + inputColumn + "' is " + type.simpleString()
                + "; NetForgeScorer reads array<float>, array<double> or binary");
    }

    private static String free(Set<String> taken, String column) {
        if (!taken.add(column)) {
            throw new IllegalArgumentException("column '" + column + "' already exists: name the output"
                    + " columns differently");
        }
        return column;
    }

    private static String name(String column) {
        Objects.requireNonNull(column, "column");
        if (column.isBlank()) {
            throw new IllegalArgumentException("a blank column or resource name");
        }
        return column;
    }

    @Override
    public String toString() {
        return "NetForgeScorer[" + modelClass + (parametersResource == null ? "" : " with " + parametersResource)
                + ", input " + inputColumn + ", probabilities " + probabilitiesColumn + ", prediction "
                + predictionColumn + ", error " + errorColumn + "]";
    }
}
