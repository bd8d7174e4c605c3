package dev.netforge.processor.diagnostics;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.netforge.processor.NetForgeProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rejection of issue 2, item 4, as a compile-testing test: the message (rule id, expected,
 * found, the numbers, the fix, the shape trail), the file and the line. Attributes sit on their own
 * source lines where the error should point at one, so {@code onLineContaining} proves the
 * diagnostic is placed on the attribute at fault. Every compilation is also checked to contain no
 * processor crash or internal error.
 */
class DiagnosticsTest {
    private static final String MAX_ARRAY = "2,147,483,639";

    // ------------------------------------------------------------------------------------------
    // Windows larger than their input
    // ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("a kernel larger than its valid-padded input: numbers, fix, shape trail, on the kernel line")
    void kernelLargerThanInput() {
        JavaFileObject source = model("DeepNet", "{28, 28, 1}", """
                    @Conv2D(filters = 32, kernel = 3) Layer conv1;
                    @MaxPool(2) Layer pool1;
                    @Conv2D(filters = 64, kernel = 3) Layer conv2;
                    @MaxPool(2) Layer pool2;
                    @Conv2D(
                        filters = 8,
                        kernel = 7,
                        strides = 1)
                    Layer conv3;
                    @Flatten Layer flat;
                    @Dense(units = 10) Layer out;
                """);
        Compilation compilation = compile(source);
        assertThat(compilation).failed();
        assertErrorOn(compilation, source, "kernel = 7,",
                "[netforge.window-larger-than-input]",
                "conv3",
                "7x7",
                "5x5x64",
                "valid padding needs input >= kernel",
                "height 5 < 7",
                "width 5 < 7",
                "padding = Padding.SAME",
                "28x28x1 -> conv1 26x26x32 -> pool1 13x13x32 -> conv2 11x11x64 -> pool2 5x5x64 -> conv3");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("a kernel taller than its input names only the axis at fault: height 2 < 3")
    void kernelTallerThanInput() {
        JavaFileObject source = model("Strip", "{2, 10, 1}", """
                    @Conv2D(
                        filters = 4,
                        kernel = 3)
                    Layer conv;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "kernel = 3)",
                "[netforge.window-larger-than-input]",
                "conv: kernel 3x3",
                "2x10x1",
                "valid padding needs input >= kernel: height 2 < 3",
                "padding = Padding.SAME",
                "2x3",
                "shape trail: 2x10x1 -> conv");
        assertNoErrorContaining(compilation, "width 10");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("a pool window larger than its input: numbers, fix, shape trail, on the value line")
    void poolWindowLargerThanInput() {
        JavaFileObject source = model("PoolNet", "{28, 28, 1}", """
                    @Conv2D(filters = 32, kernel = 3) Layer conv1;
                    @MaxPool(2) Layer pool1;
                    @Conv2D(filters = 64, kernel = 3) Layer conv2;
                    @MaxPool(2) Layer pool2;
                    @MaxPool(
                        value = 6,
                        strides = 2)
                    Layer pool3;
                    @Flatten Layer flat;
                    @Dense(units = 10) Layer out;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "value = 6,",
                "[netforge.window-larger-than-input]",
                "pool3",
                "6x6",
                "5x5x64",
                "height 5 < 6",
                "width 5 < 6",
                "padding = Padding.SAME",
                "28x28x1 -> conv1 26x26x32 -> pool1 13x13x32 -> conv2 11x11x64 -> pool2 5x5x64 -> pool3");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("the default 2x2 pool on a 1x1 input is an error on the annotation")
    void defaultPoolLargerThanInput() {
        JavaFileObject source = model("Tiny", "{1, 1, 4}", """
                    @MaxPool Layer tiny;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@MaxPool Layer tiny;",
                "[netforge.window-larger-than-input]",
                "tiny",
                "2x2",
                "height 1 < 2",
                "width 1 < 2",
                "padding = Padding.SAME",
                "1x1x4 -> tiny");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("the suggested fix works: the same windows with padding = SAME compile")
    void sameFixCompiles() {
        JavaFileObject source = model("SameNet", "{2, 10, 1}", """
                    @Conv2D(filters = 4, kernel = 3, padding = Padding.SAME) Layer conv;
                    @MaxPool(value = 6, padding = Padding.SAME) Layer pool;
                    @Flatten Layer flat;
                    @Dense(units = 3) Layer out;
                """);
        Compilation compilation = compile(source);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("test.SameNetForward");
    }

    @Test
    @DisplayName("MaxPool strides = {} is legal and means the pool size")
    void maxPoolEmptyStridesMeansPoolSize() {
        JavaFileObject source = model("EmptyStrides", "{28, 28, 1}", """
                    @Conv2D(filters = 32, kernel = 3) Layer conv1;
                    @MaxPool(
                        value = 2,
                        strides = {})
                    Layer pool1;
                    @Flatten Layer flat;
                    @Dense(units = 10) Layer out;
                """);
        Compilation compilation = compile(source);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("test.EmptyStridesForward")
                .contentsAsUtf8String().contains("(None, 13, 13, 32)");
    }

    // ------------------------------------------------------------------------------------------
    // Non-positive values and arrays of the wrong length
    // ------------------------------------------------------------------------------------------

    private static final String CONV_TAIL = """
                @Flatten Layer flat;
                @Dense(units = 10) Layer out;
            """;

    static Stream<Arguments> badAttributes() {
        return Stream.of(
                // zero and negative
                Arguments.of("filters = 0", """
                            @Conv2D(
                                filters = 0,
                                kernel = 3)
                            Layer conv;
                        """ + CONV_TAIL, "filters = 0,",
                        List.of("[netforge.not-positive]", "conv", "filters must be positive", "found 0")),
                Arguments.of("filters = -4", """
                            @Conv2D(
                                filters = -4,
                                kernel = 3)
                            Layer conv;
                        """ + CONV_TAIL, "filters = -4,",
                        List.of("[netforge.not-positive]", "conv", "filters must be positive", "found -4")),
                Arguments.of("kernel = 0", """
                            @Conv2D(
                                filters = 8,
                                kernel = 0)
                            Layer conv;
                        """ + CONV_TAIL, "kernel = 0)",
                        List.of("[netforge.not-positive]", "conv", "kernel must be positive", "found {0}")),
                Arguments.of("kernel = {3, -1}", """
                            @Conv2D(
                                filters = 8,
                                kernel = {3, -1})
                            Layer conv;
                        """ + CONV_TAIL, "kernel = {3, -1})",
                        List.of("[netforge.not-positive]", "conv", "kernel must be positive", "found {3, -1}")),
                Arguments.of("Conv2D strides = 0", """
                            @Conv2D(
                                filters = 8,
                                kernel = 3,
                                strides = 0)
                            Layer conv;
                        """ + CONV_TAIL, "strides = 0)",
                        List.of("[netforge.not-positive]", "conv", "strides must be positive", "found {0}")),
                Arguments.of("Conv2D strides = {-2, 1}", """
                            @Conv2D(
                                filters = 8,
                                kernel = 3,
                                strides = {-2, 1})
                            Layer conv;
                        """ + CONV_TAIL, "strides = {-2, 1})",
                        List.of("[netforge.not-positive]", "conv", "strides must be positive", "found {-2, 1}")),
                Arguments.of("MaxPool value = 0", """
                            @MaxPool(
                                value = 0,
                                strides = 1)
                            Layer pool;
                        """ + CONV_TAIL, "value = 0,",
                        List.of("[netforge.not-positive]", "pool", "must be positive", "found {0}")),
                Arguments.of("MaxPool(-2)", """
                            @MaxPool(-2) Layer pool;
                        """ + CONV_TAIL, "@MaxPool(-2)",
                        List.of("[netforge.not-positive]", "pool", "must be positive", "found {-2}")),
                Arguments.of("MaxPool strides = 0", """
                            @MaxPool(
                                value = 2,
                                strides = 0)
                            Layer pool;
                        """ + CONV_TAIL, "strides = 0)",
                        List.of("[netforge.not-positive]", "pool", "strides must be positive", "found {0}")),
                Arguments.of("MaxPool strides = {2, -1}", """
                            @MaxPool(
                                value = 2,
                                strides = {2, -1})
                            Layer pool;
                        """ + CONV_TAIL, "strides = {2, -1})",
                        List.of("[netforge.not-positive]", "pool", "strides must be positive", "found {2, -1}")),
                Arguments.of("units = 0", """
                            @Flatten Layer flat;
                            @Dense(
                                units = 0,
                                activation = Activation.RELU)
                            Layer hidden;
                            @Dense(units = 10) Layer out;
                        """, "units = 0,",
                        List.of("[netforge.not-positive]", "hidden", "units must be positive", "found 0")),
                Arguments.of("units = -1", """
                            @Flatten Layer flat;
                            @Dense(
                                units = -1,
                                activation = Activation.RELU)
                            Layer hidden;
                            @Dense(units = 10) Layer out;
                        """, "units = -1,",
                        List.of("[netforge.not-positive]", "hidden", "units must be positive", "found -1")),
                // arrays not of length 1 or 2
                Arguments.of("kernel = {}", """
                            @Conv2D(
                                filters = 8,
                                kernel = {})
                            Layer conv;
                        """ + CONV_TAIL, "kernel = {})",
                        List.of("[netforge.array-length]", "conv", "kernel must have one value", "two",
                                "found 0 values {}")),
                Arguments.of("kernel = {3, 3, 3}", """
                            @Conv2D(
                                filters = 8,
                                kernel = {3, 3, 3})
                            Layer conv;
                        """ + CONV_TAIL, "kernel = {3, 3, 3})",
                        List.of("[netforge.array-length]", "conv", "kernel must have one value", "two",
                                "found 3 values {3, 3, 3}")),
                Arguments.of("Conv2D strides = {}", """
                            @Conv2D(
                                filters = 8,
                                kernel = 3,
                                strides = {})
                            Layer conv;
                        """ + CONV_TAIL, "strides = {})",
                        List.of("[netforge.array-length]", "conv", "strides must have one value", "two",
                                "found 0 values {}")),
                Arguments.of("Conv2D strides = {1, 1, 1}", """
                            @Conv2D(
                                filters = 8,
                                kernel = 3,
                                strides = {1, 1, 1})
                            Layer conv;
                        """ + CONV_TAIL, "strides = {1, 1, 1})",
                        List.of("[netforge.array-length]", "conv", "strides must have one value", "two",
                                "found 3 values {1, 1, 1}")),
                Arguments.of("MaxPool value = {}", """
                            @MaxPool(
                                value = {},
                                strides = 2)
                            Layer pool;
                        """ + CONV_TAIL, "value = {},",
                        List.of("[netforge.array-length]", "pool", "one value", "two", "found 0 values {}")),
                Arguments.of("MaxPool value = {2, 2, 2}", """
                            @MaxPool(
                                value = {2, 2, 2},
                                strides = 2)
                            Layer pool;
                        """ + CONV_TAIL, "value = {2, 2, 2},",
                        List.of("[netforge.array-length]", "pool", "one value", "two",
                                "found 3 values {2, 2, 2}")),
                Arguments.of("MaxPool strides = {2, 2, 2}", """
                            @MaxPool(
                                value = 2,
                                strides = {2, 2, 2})
                            Layer pool;
                        """ + CONV_TAIL, "strides = {2, 2, 2})",
                        List.of("[netforge.array-length]", "pool", "strides must have one value", "two",
                                "found 3 values {2, 2, 2}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAttributes")
    @DisplayName("zero/negative values and arrays not of length 1 or 2: an error on the attribute's line")
    void badAttribute(String name, String body, String line, List<String> expected) {
        JavaFileObject source = model("BadAttribute", "{28, 28, 1}", body);
        Compilation compilation = compile(source);
        assertThat(compilation).failed();
        assertErrorOn(compilation, source, line, expected.toArray(String[]::new));
        assertThat(compilation).hadErrorCount(1);
    }

    // ------------------------------------------------------------------------------------------
    // @Model(input = ...)
    // ------------------------------------------------------------------------------------------

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("{28, 28}", List.of("[netforge.model-input]", "{H, W, C}", "{N}",
                        "found 2 sizes {28, 28}")),
                Arguments.of("{}", List.of("[netforge.model-input]", "{H, W, C}", "{N}", "found 0 sizes {}")),
                Arguments.of("{28, 0, 1}", List.of("[netforge.model-input]", "positive", "found {28, 0, 1}")),
                Arguments.of("{-1}", List.of("[netforge.model-input]", "positive", "found {-1}")),
                Arguments.of("{1, 2, 3, 4}", List.of("[netforge.model-input]", "{H, W, C}", "{N}",
                        "found 4 sizes {1, 2, 3, 4}")));
    }

    @ParameterizedTest(name = "input = {0}")
    @MethodSource("badInputs")
    @DisplayName("an input that is not {H, W, C} or {N} with positive sizes: an error on the input line")
    void badInput(String input, List<String> expected) {
        JavaFileObject source = JavaFileObjects.forSourceString("test.BadInput", """
                package test;

                import dev.netforge.*;

                @Model(
                    input = %s)
                class BadInput {
                    @Flatten Layer flat;
                    @Dense(units = 10) Layer out;
                }
                """.formatted(input));
        Compilation compilation = compile(source);
        assertThat(compilation).failed();
        assertErrorOn(compilation, source, "input = " + input + ")", expected.toArray(String[]::new));
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("an input of unknown rank ({}) causes no follow-on error claiming the input is an image")
    void emptyInputHasNoCascade() {
        JavaFileObject source = JavaFileObjects.forSourceString("test.NoRank", """
                package test;

                import dev.netforge.*;

                @Model(
                    input = {})
                class NoRank {
                    @Dense(units = 10) Layer out;
                }
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "input = {})", "[netforge.model-input]", "found 0 sizes {}");
        assertThat(compilation).hadErrorCount(1);
    }

    // ------------------------------------------------------------------------------------------
    // Layers on the wrong kind of tensor, models with no layers
    // ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("Dense on a 3-D tensor without @Flatten says so and suggests @Flatten")
    void denseOnImage() {
        JavaFileObject source = model("NoFlatten", "{28, 28, 1}", """
                    @Conv2D(filters = 32, kernel = 3) Layer conv1;
                    @Dense(units = 10) Layer out;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@Dense(units = 10) Layer out;",
                "[netforge.needs-vector]",
                "out: Dense needs a vector",
                "26x26x32",
                "21,632",
                "@Flatten",
                "28x28x1 -> conv1 26x26x32 -> out");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("Dense directly on an image input without @Flatten")
    void denseOnImageInput() {
        JavaFileObject source = model("RawDense", "{28, 28, 1}", """
                    @Dense(units = 10) Layer out;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@Dense(units = 10) Layer out;",
                "[netforge.needs-vector]", "28x28x1", "784", "@Flatten", "shape trail: 28x28x1 -> out");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("Conv2D after Flatten (on a vector) is an error with the shape trail")
    void convOnVector() {
        JavaFileObject source = model("ConvAfterFlatten", "{28, 28, 1}", """
                    @Flatten Layer flat;
                    @Conv2D(filters = 8, kernel = 3) Layer conv;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@Conv2D(filters = 8, kernel = 3) Layer conv;",
                "[netforge.needs-image]",
                "conv: Conv2D needs an image H x W x C input",
                "vector of 784",
                "28x28x1 -> flat 784 -> conv");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("MaxPool after Flatten (on a vector) is an error with the shape trail")
    void poolOnVector() {
        JavaFileObject source = model("PoolAfterFlatten", "{28, 28, 1}", """
                    @Conv2D(filters = 4, kernel = 3) Layer conv;
                    @Flatten Layer flat;
                    @MaxPool(2) Layer pool;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@MaxPool(2) Layer pool;",
                "[netforge.needs-image]",
                "pool: MaxPool needs an image H x W x C input",
                "vector of 2,704",
                "28x28x1 -> conv 26x26x4 -> flat 2704 -> pool");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("Conv2D on a vector input {N} is an error")
    void convOnVectorInput() {
        JavaFileObject source = model("ConvOnVector", "{784}", """
                    @Conv2D(filters = 8, kernel = 3) Layer conv;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@Conv2D(filters = 8, kernel = 3) Layer conv;",
                "[netforge.needs-image]", "vector of 784", "784 -> conv");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("a model with no layers is an error on @Model")
    void noLayers() {
        JavaFileObject source = JavaFileObjects.forSourceString("test.Empty", """
                package test;

                import dev.netforge.*;

                @Model(input = {4})
                class Empty {
                    int notALayer;
                    Layer unannotated;
                }
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@Model(input = {4})",
                "[netforge.no-layers]", "Empty", "no layers", "@Dense");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("Flatten of a vector is a warning only; the model still compiles")
    void flattenOfVectorWarns() {
        JavaFileObject source = model("VecNet", "{16}", """
                    @Flatten Layer flat;
                    @Dense(units = 8) Layer hidden;
                    @Dense(units = 4) Layer out;
                """);
        Compilation compilation = compile(source);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningContaining("[netforge.flatten-of-vector]")
                .inFile(source).onLineContaining("@Flatten Layer flat;");
        assertWarningOn(compilation, source, "@Flatten Layer flat;", "[netforge.flatten-of-vector]", "flat",
                "16 -> flat 16");
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation).generatedSourceFile("test.VecNetForward");
    }

    @Test
    @DisplayName("Flatten after a Dense (of a vector) is a warning only; the model still compiles")
    void flattenAfterDenseWarns() {
        JavaFileObject source = model("VecNet2", "{4, 4, 1}", """
                    @Flatten Layer flat;
                    @Dense(units = 8) Layer hidden;
                    @Flatten Layer again;
                    @Dense(units = 4) Layer out;
                """);
        Compilation compilation = compile(source);
        assertThat(compilation).succeeded();
        assertWarningOn(compilation, source, "@Flatten Layer again;", "[netforge.flatten-of-vector]",
                "4x4x1 -> flat 16 -> hidden 8 -> again 8");
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation).generatedSourceFile("test.VecNet2Forward");
    }

    // ------------------------------------------------------------------------------------------
    // Fields
    // ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("two layer annotations on one field")
    void twoLayerAnnotations() {
        JavaFileObject source = model("TwoOnOne", "{8}", """
                    @Dense(units = 4) Layer hidden;
                    @Dense(units = 2) @Flatten Layer both;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "Layer both;",
                "[netforge.one-layer-per-field]", "both", "@Dense", "@Flatten");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("a layer annotation on a static field")
    void staticLayerField() {
        JavaFileObject source = model("StaticField", "{8}", """
                    @Dense(units = 4) static Layer hidden;
                    @Dense(units = 2) Layer out;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "static Layer hidden;",
                "[netforge.layer-field]", "hidden", "static");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("a layer annotation on a field of type int")
    void layerFieldOfWrongType() {
        JavaFileObject source = model("IntField", "{8}", """
                    @Dense(units = 4) int hidden;
                    @Dense(units = 2) Layer out;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "int hidden;",
                "[netforge.layer-field]", "hidden", "dev.netforge.Layer", "int");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("a layer annotation on a field of type Object")
    void layerFieldOfObjectType() {
        JavaFileObject source = model("ObjectField", "{8}", """
                    @Dense(units = 4) Object hidden;
                    @Dense(units = 2) Layer out;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "Object hidden;",
                "[netforge.layer-field]", "hidden", "dev.netforge.Layer", "java.lang.Object");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("a layer annotation in a class without @Model")
    void layerOutsideModel() {
        JavaFileObject source = JavaFileObjects.forSourceString("test.NotAModel", """
                package test;

                import dev.netforge.*;

                class NotAModel {
                    @Dense(units = 4) Layer hidden;
                }
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@Dense(units = 4) Layer hidden;",
                "[netforge.layer-field]", "hidden", "NotAModel", "@Model");
        assertThat(compilation).hadErrorCount(1);
    }

    // ------------------------------------------------------------------------------------------
    // The model class
    // ------------------------------------------------------------------------------------------

    static Stream<Arguments> badModelClasses() {
        return Stream.of(
                Arguments.of("interface", "test.NetI", """
                        package test;

                        import dev.netforge.*;

                        @Model(input = {4}) interface NetI {
                        }
                        """, "interface NetI", List.of("[netforge.model-class]", "interface", "NetI")),
                Arguments.of("enum", "test.NetE", """
                        package test;

                        import dev.netforge.*;

                        @Model(input = {4}) enum NetE {
                            A, B
                        }
                        """, "enum NetE", List.of("[netforge.model-class]", "enum", "NetE")),
                Arguments.of("record", "test.NetR", """
                        package test;

                        import dev.netforge.*;

                        @Model(input = {4}) record NetR(int size) {
                        }
                        """, "record NetR", List.of("[netforge.model-class]", "record", "NetR")),
                Arguments.of("annotation type", "test.NetA", """
                        package test;

                        import dev.netforge.*;

                        @Model(input = {4}) @interface NetA {
                        }
                        """, "@interface NetA", List.of("[netforge.model-class]", "annotation", "NetA")),
                Arguments.of("private nested class", "test.OuterP", """
                        package test;

                        import dev.netforge.*;

                        class OuterP {
                            @Model(input = {4}) private static class Inner {
                                @Dense(units = 2) Layer out;
                            }
                        }
                        """, "private static class Inner", List.of("[netforge.model-class]", "Inner", "private")),
                Arguments.of("non-static inner class", "test.OuterN", """
                        package test;

                        import dev.netforge.*;

                        class OuterN {
                            @Model(input = {4}) class Inner {
                                @Dense(units = 2) Layer out;
                            }
                        }
                        """, "class Inner", List.of("[netforge.model-class]", "Inner", "static")),
                Arguments.of("class inside a private class", "test.OuterH", """
                        package test;

                        import dev.netforge.*;

                        class OuterH {
                            private static class Hidden {
                                @Model(input = {4}) static class Inner {
                                    @Dense(units = 2) Layer out;
                                }
                            }
                        }
                        """, "static class Inner", List.of("[netforge.model-class]", "Inner", "private", "Hidden")));
    }

    @ParameterizedTest(name = "@Model on {0}")
    @MethodSource("badModelClasses")
    @DisplayName("@Model on something that cannot hold a model: an error on @Model")
    void badModelClass(String kind, String name, String text, String line, List<String> expected) {
        JavaFileObject source = JavaFileObjects.forSourceString(name, text);
        Compilation compilation = compile(source);
        assertThat(compilation).failed();
        assertErrorOn(compilation, source, line, expected.toArray(String[]::new));
        assertThat(compilation).hadErrorCount(1);
    }

    // ------------------------------------------------------------------------------------------
    // Sizes that do not fit a Java array
    // ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("an input of 50000x50000x3 does not fit a float[]: the error says so, in numbers")
    void inputTooLarge() {
        JavaFileObject source = JavaFileObjects.forSourceString("test.HugeInput", """
                package test;

                import dev.netforge.*;

                @Model(
                    input = {50000, 50000, 3})
                class HugeInput {
                    @Flatten Layer flat;
                    @Dense(units = 10) Layer out;
                }
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "input = {50000, 50000, 3})",
                "[netforge.too-large]", "7,500,000,000", MAX_ARRAY, "array");
        assertThat(compilation).hadErrorCount(1);
        assertNoNegativeNumbers(compilation);
    }

    @Test
    @DisplayName("Dense(100000) after a Flatten of 100000 values: a kernel of 10^10 weights does not fit")
    void denseKernelTooLarge() {
        JavaFileObject source = model("HugeDense", "{100, 100, 10}", """
                    @Flatten Layer flat;
                    @Dense(units = 100000) Layer out;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@Dense(units = 100000) Layer out;",
                "[netforge.too-large]", "out", "10,000,000,000", MAX_ARRAY, "100x100x10 -> flat 100000 -> out");
        assertThat(compilation).hadErrorCount(1);
        assertNoNegativeNumbers(compilation);
    }

    @Test
    @DisplayName("a Conv2D kernel of 2.5 * 10^9 weights does not fit")
    void convKernelTooLarge() {
        JavaFileObject source = model("HugeConvKernel", "{4, 4, 50000}", """
                    @Conv2D(filters = 50000, kernel = 1) Layer wide;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@Conv2D(filters = 50000, kernel = 1) Layer wide;",
                "[netforge.too-large]", "wide", "2,500,000,000", MAX_ARRAY, "4x4x50000 -> wide");
        assertThat(compilation).hadErrorCount(1);
        assertNoNegativeNumbers(compilation);
    }

    @Test
    @DisplayName("a Conv2D output of 1000x1000x4096 activations does not fit")
    void activationTooLarge() {
        JavaFileObject source = model("HugeActivation", "{1000, 1000, 3}", """
                    @Conv2D(filters = 4096, kernel = 1) Layer wide;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@Conv2D(filters = 4096, kernel = 1) Layer wide;",
                "[netforge.too-large]", "wide", "1000x1000x4096", "4,096,000,000", MAX_ARRAY, "1000x1000x3 -> wide");
        assertThat(compilation).hadErrorCount(1);
        assertNoNegativeNumbers(compilation);
    }

    @Test
    @DisplayName("'same' padding that makes a fitting input too large to pad")
    void paddedInputTooLarge() {
        JavaFileObject source = model("HugePad", "{46340, 46340, 1}", """
                    @Conv2D(
                        filters = 1,
                        kernel = 3,
                        padding = Padding.SAME)
                    Layer conv;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "kernel = 3,",
                "[netforge.too-large]", "conv", "2,147,580,964", MAX_ARRAY);
        assertThat(compilation).hadErrorCount(1);
        assertNoNegativeNumbers(compilation);
    }

    @Test
    @DisplayName("total parameters above 2^31 - 9 though each layer fits: the error gives the numbers")
    void totalParametersTooLarge() {
        JavaFileObject source = model("HugeTotal", "{40000}", """
                    @Dense(units = 40000) Layer dense1;
                    @Dense(units = 40000) Layer dense2;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@Dense(units = 40000) Layer dense2;",
                "[netforge.too-large]", "dense2", "parameters", "3,200,080,000", MAX_ARRAY,
                "40000 -> dense1 40000 -> dense2 40000");
        assertThat(compilation).hadErrorCount(1);
        assertNoNegativeNumbers(compilation);
    }

    @Test
    @DisplayName("a single Dense whose kernel fits but kernel + bias does not")
    void kernelPlusBiasTooLarge() {
        JavaFileObject source = model("HugeBias", "{1}", """
                    @Dense(units = 2147483639) Layer out;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@Dense(units = 2147483639) Layer out;",
                "[netforge.too-large]", "out", "4,294,967,278", MAX_ARRAY);
        assertThat(compilation).hadErrorCount(1);
        assertNoNegativeNumbers(compilation);
    }

    // ------------------------------------------------------------------------------------------
    // Several errors in one compilation
    // ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("filters = 0 on one layer and units = -1 on another: both reported")
    void twoIndependentLayerErrors() {
        JavaFileObject source = model("TwoErrors", "{28, 28, 1}", """
                    @Conv2D(
                        filters = 0,
                        kernel = 3)
                    Layer conv;
                    @Flatten Layer flat;
                    @Dense(
                        units = -1)
                    Layer out;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "filters = 0,", "[netforge.not-positive]", "filters", "found 0");
        assertErrorOn(compilation, source, "units = -1)", "[netforge.not-positive]", "units", "found -1");
        assertThat(compilation).hadErrorCount(2);
    }

    @Test
    @DisplayName("errors of every stage together: input, field, attribute, window, rank")
    void manyIndependentErrors() {
        JavaFileObject source = model("Many", "{28, 28, 1}", """
                    @Conv2D(filters = 8, kernel = 3) static Layer conv1;
                    @Conv2D(
                        filters = 8,
                        kernel = {3, 3, 3})
                    Layer conv2;
                    @MaxPool(2) int notALayer;
                    @Dense(units = 10) Layer early;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "static Layer conv1;", "[netforge.layer-field]", "static");
        assertErrorOn(compilation, source, "kernel = {3, 3, 3})", "[netforge.array-length]");
        assertErrorOn(compilation, source, "int notALayer;", "[netforge.layer-field]", "int");
        assertErrorOn(compilation, source, "@Dense(units = 10) Layer early;", "[netforge.needs-vector]", "@Flatten");
        assertThat(compilation).hadErrorCount(4);
    }

    @Test
    @DisplayName("an invalid input and an invalid layer: both reported")
    void inputAndLayerErrors() {
        JavaFileObject source = JavaFileObjects.forSourceString("test.InputAndLayer", """
                package test;

                import dev.netforge.*;

                @Model(
                    input = {28, 0, 1})
                class InputAndLayer {
                    @Conv2D(
                        filters = 0,
                        kernel = 3)
                    Layer conv;
                }
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "input = {28, 0, 1})", "[netforge.model-input]");
        assertErrorOn(compilation, source, "filters = 0,", "[netforge.not-positive]");
        assertThat(compilation).hadErrorCount(2);
    }

    @Test
    @DisplayName("a private model class with a bad layer: both independent errors reported")
    void privateClassAndLayerErrors() {
        JavaFileObject source = JavaFileObjects.forSourceString("test.OuterPL", """
                package test;

                import dev.netforge.*;

                class OuterPL {
                    @Model(input = {4}) private static class Inner {
                        @Dense(
                            units = 0)
                        Layer out;
                    }
                }
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "private static class Inner", "[netforge.model-class]", "private");
        assertErrorOn(compilation, source, "units = 0)", "[netforge.not-positive]", "units");
        assertThat(compilation).hadErrorCount(2);
    }

    @Test
    @DisplayName("errors in two model classes of one compilation are both reported")
    void errorsInTwoModels() {
        JavaFileObject first = model("FirstBad", "{28, 28, 1}", """
                    @Conv2D(
                        filters = 8,
                        kernel = 29)
                    Layer conv;
                """);
        JavaFileObject second = model("SecondBad", "{10}", """
                    @Dense(
                        units = 0)
                    Layer out;
                """);
        Compilation compilation = compile(first, second);
        assertErrorOn(compilation, first, "kernel = 29)", "[netforge.window-larger-than-input]", "28 < 29");
        assertErrorOn(compilation, second, "units = 0)", "[netforge.not-positive]");
        assertThat(compilation).hadErrorCount(2);
    }

    // ------------------------------------------------------------------------------------------
    // Names and placement that must compile cleanly
    // ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("layer names equal to generated members compile under -Xlint:all -Werror and the class loads")
    void layerNamesMatchingGeneratedMembers() throws Exception {
        JavaFileObject source = model("Names", "{6, 6, 2}", """
                    @Conv2D(filters = 3, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer forward;
                    @MaxPool(2) Layer output;
                    @Conv2D(filters = 2, kernel = 1, activation = Activation.TANH) Layer INPUT_SIZE;
                    @Conv2D(filters = 2, kernel = 1, padding = Padding.SAME, activation = Activation.SOFTMAX) Layer OUTPUT_SIZE;
                    @Conv2D(filters = 2, kernel = 1, useBias = false) Layer PARAMETER_COUNT;
                    @Flatten Layer weights;
                    @Dense(units = 6, activation = Activation.SIGMOID) Layer summary;
                    @Dense(units = 5) Layer tensors;
                    @Dense(units = 5) Layer Weights;
                    @Dense(units = 5) Layer layer0;
                    @Dense(units = 5) Layer layer1;
                    @Dense(units = 5) Layer input;
                    @Dense(units = 5) Layer parameters;
                    @Dense(units = 5) Layer scratchA;
                    @Dense(units = 5) Layer scratchB;
                    @Dense(units = 5) Layer pad;
                    @Dense(units = 5) Layer text;
                    @Dense(units = 5) Layer of;
                    @Dense(units = 5) Layer load0;
                    @Dense(units = 5) Layer summaryPart0;
                    @Dense(units = 5) Layer softmax;
                    @Dense(units = 5) Layer var;
                    @Dense(units = 5) Layer record;
                    @Dense(units = 5) Layer sealed;
                    @Dense(units = 5) Layer permits;
                    @Dense(units = 5) Layer $;
                    @Dense(units = 5) Layer \u00e9t\u00e9;
                    @Dense(units = 5) Layer String;
                    @Dense(units = 5) Layer Arrays;
                    @Dense(units = 5) Layer Objects;
                    @Dense(units = 5) Layer System;
                    @Dense(units = 5) Layer Math;
                    @Dense(units = 5) Layer Float;
                    @Dense(units = 5) Layer NamesForward;
                    @Dense(units = 3, activation = Activation.SOFTMAX) Layer Names;
                """);
        Compilation compilation = compile(List.of("-Xlint:all", "-Werror"), source);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("test.NamesForward");
        String summary = runGenerated(compilation, "test.NamesForward", 6 * 6 * 2, 3);
        assertTrue(summary.contains("forward (Conv2D)"), summary);
        assertTrue(summary.contains("INPUT_SIZE (Conv2D)"), summary);
        assertTrue(summary.contains("Names (Dense)"), summary);
    }

    @Test
    @DisplayName("a model in the default package compiles under -Xlint:all -Werror and loads")
    void defaultPackageModel() throws Exception {
        JavaFileObject source = JavaFileObjects.forSourceString("Plain", """
                import dev.netforge.*;

                @Model(input = {5, 5, 1})
                class Plain {
                    @Conv2D(filters = 2, kernel = 3, activation = Activation.RELU) Layer conv;
                    @Flatten Layer flat;
                    @Dense(units = 3, activation = Activation.SOFTMAX) Layer out;
                }
                """);
        Compilation compilation = compile(List.of("-Xlint:all", "-Werror"), source);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("PlainForward");
        String summary = runGenerated(compilation, "PlainForward", 25, 3);
        assertTrue(summary.contains("conv (Conv2D)"), summary);
    }

    @Test
    @DisplayName("a static nested model class generates Outer_InnerForward, compiles cleanly and loads")
    void staticNestedModel() throws Exception {
        JavaFileObject source = JavaFileObjects.forSourceString("test.Outer", """
                package test;

                import dev.netforge.*;

                public class Outer {
                    @Model(input = {3, 3, 2})
                    static class Inner {
                        @Conv2D(filters = 2, kernel = 2) Layer conv;
                        @Flatten Layer flat;
                        @Dense(units = 2) Layer out;
                    }

                    public static class Deeper {
                        @Model(input = {4})
                        public static class Inner {
                            @Dense(units = 2) Layer out;
                        }
                    }
                }
                """);
        Compilation compilation = compile(List.of("-Xlint:all", "-Werror"), source);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("test.Outer_InnerForward");
        assertThat(compilation).generatedSourceFile("test.Outer_Deeper_InnerForward");
        runGenerated(compilation, "test.Outer_InnerForward", 18, 2);
        runGenerated(compilation, "test.Outer_Deeper_InnerForward", 4, 2);
    }

    // ------------------------------------------------------------------------------------------
    // Robustness: code javac itself rejects, name clashes; nothing may crash the processor
    // ------------------------------------------------------------------------------------------

    static Stream<Arguments> javacErrors() {
        return Stream.of(
                Arguments.of("unknown constant", """
                            @Conv2D(
                                filters = 8,
                                kernel = MISSING)
                            Layer conv;
                        """, "kernel = MISSING)"),
                Arguments.of("unqualified enum constant", """
                            @Conv2D(
                                filters = 8,
                                kernel = 3,
                                padding = SAME)
                            Layer conv;
                        """, "padding = SAME)"),
                Arguments.of("missing required attribute", """
                            @Conv2D(
                                kernel = 3)
                            Layer conv;
                        """, "@Conv2D("),
                Arguments.of("wrong attribute type", """
                            @Dense(
                                units = "ten")
                            Layer out;
                        """, "units = \"ten\")"),
                Arguments.of("unknown layer type", """
                            @Flatten Layer flat;
                            @Dense(units = 3) Lauer out;
                        """, "Lauer out;"),
                Arguments.of("non-constant value", """
                            static int size = 3;
                            @Conv2D(
                                filters = 8,
                                kernel = size)
                            Layer conv;
                        """, "kernel = size)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("javacErrors")
    @DisplayName("code javac rejects: javac's error, no processor crash")
    void javacErrorDoesNotCrashProcessor(String name, String body, String line) {
        JavaFileObject source = model("Broken", "{28, 28, 1}", body);
        Compilation compilation = compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("").inFile(source).onLineContaining(line);
    }

    @Test
    @DisplayName("a constant from a static final field is read and checked like a literal")
    void constantFieldValue() {
        JavaFileObject source = model("Constants", "{5, 5, 1}", """
                    static final int K = 6;
                    @Conv2D(
                        filters = 8,
                        kernel = K)
                    Layer conv;
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "kernel = K)", "[netforge.window-larger-than-input]", "height 5 < 6");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("two models whose generated names clash give an error, not a crash")
    void generatedNameClash() {
        JavaFileObject nested = JavaFileObjects.forSourceString("test.Outer", """
                package test;

                import dev.netforge.*;

                class Outer {
                    @Model(input = {4})
                    static class Inner {
                        @Dense(units = 2) Layer out;
                    }
                }
                """);
        JavaFileObject flat = model("Outer_Inner", "{4}", """
                    @Dense(units = 2) Layer out;
                """);
        Compilation compilation = compile(nested, flat);
        assertThat(compilation).failed();
        // A naming clash the user wrote is the user's error to fix, not an internal error of the
        // processor (assertNoCrash above): it names the generated class both models would get.
        assertThat(compilation).hadErrorContaining("Outer_InnerForward");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("the generated javadoc of a nested model links to the model class (javac -Xdoclint:reference)")
    void nestedModelJavadocLinksResolve() {
        JavaFileObject source = JavaFileObjects.forSourceString("test.Linked", """
                package test;

                import dev.netforge.*;

                public class Linked {
                    @Model(input = {4})
                    static class Inner {
                        @Dense(units = 2) Layer out;
                    }
                }
                """);
        Compilation compilation = compile(List.of("-Xdoclint:reference", "-Xlint:all", "-Werror"), source);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("test.Linked_InnerForward")
                .contentsAsUtf8String().contains("{@link test.Linked.Inner}");
    }

    @Test
    @DisplayName("a layer annotation on an enum constant (a field not of type Layer) outside any model")
    void layerOnEnumConstant() {
        JavaFileObject source = JavaFileObjects.forSourceString("test.Kinds", """
                package test;

                import dev.netforge.*;

                enum Kinds {
                    @Dense(units = 4) SMALL,
                    LARGE
                }
                """);
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@Dense(units = 4) SMALL,", "[netforge.layer-field]", "SMALL");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    @DisplayName("a model class nested in an interface (implicitly static) compiles and loads")
    void modelNestedInInterface() throws Exception {
        JavaFileObject source = JavaFileObjects.forSourceString("test.Holder", """
                package test;

                import dev.netforge.*;

                interface Holder {
                    @Model(input = {4})
                    class Inner {
                        @Dense(units = 2) Layer out;
                    }
                }
                """);
        Compilation compilation = compile(List.of("-Xlint:all", "-Werror"), source);
        assertThat(compilation).succeededWithoutWarnings();
        runGenerated(compilation, "test.Holder_InnerForward", 4, 2);
    }

    @Test
    @DisplayName("a model just under the limits (1.6 * 10^9 parameters) is accepted and generated")
    void largestLegalModelCompiles() {
        JavaFileObject source = model("Big", "{40000}", """
                    @Dense(units = 40000) Layer dense1;
                """);
        Compilation compilation = compile(List.of("-Xlint:all", "-Werror"), source);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("test.BigForward")
                .contentsAsUtf8String().contains("PARAMETER_COUNT = 1600040000");
    }

    @Test
    @DisplayName("more layers than one class can hold is an error on @Model with the numbers")
    void tooManyLayers() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            body.append("    @Dense(units = 1) Layer d").append(i).append(";\n");
        }
        JavaFileObject source = JavaFileObjects.forSourceString("test.Deep", "package test;\n\n"
                + "import dev.netforge.*;\n\n@Model(input = {1})\nclass Deep {\n" + body + "}\n");
        Compilation compilation = compile(source);
        assertErrorOn(compilation, source, "@Model(input = {1})", "[netforge.too-many-layers]", "1001", "1000");
        assertThat(compilation).hadErrorCount(1);
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    /** {@code package test; import dev.netforge.*; @Model(input = ...) class name { body }}. */
    private static JavaFileObject model(String name, String input, String body) {
        String text = "package test;\n\nimport dev.netforge.*;\n\n@Model(input = " + input + ")\nclass " + name
                + " {\n" + body + "}\n";
        return JavaFileObjects.forSourceString("test." + name, text);
    }

    private static Compilation compile(JavaFileObject... sources) {
        return compile(List.of(), sources);
    }

    /** Compiles with the processor and checks that nothing crashed, whatever the test expects next. */
    private static Compilation compile(List<String> options, JavaFileObject... sources) {
        Compilation compilation;
        try {
            compilation = Compiler.javac().withProcessors(new NetForgeProcessor()).withOptions(options)
                    .compile(sources);
        } catch (RuntimeException e) {
            throw new AssertionError("the compilation threw (the processor escaped its exception boundary)", e);
        }
        assertNoCrash(compilation);
        return compilation;
    }

    /** No diagnostic of any kind may report a processor crash or an internal error. */
    private static void assertNoCrash(Compilation compilation) {
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
            String message = String.valueOf(diagnostic.getMessage(Locale.ROOT));
            String lower = message.toLowerCase(Locale.ROOT);
            assertFalse(message.contains("An annotation processor threw an uncaught exception"),
                    () -> "processor crashed:\n" + describe(compilation));
            assertFalse(lower.contains("internal error") || message.contains("[netforge.internal-error]"),
                    () -> "internal error:\n" + describe(compilation));
            assertFalse(message.contains("Exception") && message.contains("\tat "),
                    () -> "a stack trace in a diagnostic:\n" + describe(compilation));
        }
    }

    private static void assertErrorOn(Compilation compilation, JavaFileObject file, String lineFragment,
                                      String... fragments) {
        assertDiagnosticOn(compilation, Diagnostic.Kind.ERROR, file, lineFragment, fragments);
        assertThat(compilation).hadErrorContaining(fragments[0]).inFile(file).onLineContaining(lineFragment);
    }

    private static void assertWarningOn(Compilation compilation, JavaFileObject file, String lineFragment,
                                        String... fragments) {
        assertDiagnosticOn(compilation, Diagnostic.Kind.WARNING, file, lineFragment, fragments);
        assertThat(compilation).hadWarningContaining(fragments[0]).inFile(file).onLineContaining(lineFragment);
    }

    /** One diagnostic of the kind, in the file, on the line, whose message holds every fragment. */
    private static void assertDiagnosticOn(Compilation compilation, Diagnostic.Kind kind, JavaFileObject file,
                                           String lineFragment, String... fragments) {
        long line = lineOf(file, lineFragment);
        List<String> onLine = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
            boolean kindMatches = kind == Diagnostic.Kind.WARNING
                    ? diagnostic.getKind() == Diagnostic.Kind.WARNING
                            || diagnostic.getKind() == Diagnostic.Kind.MANDATORY_WARNING
                    : diagnostic.getKind() == kind;
            if (!kindMatches || diagnostic.getSource() == null
                    || !diagnostic.getSource().toUri().equals(file.toUri())
                    || diagnostic.getLineNumber() != line) {
                continue;
            }
            String message = diagnostic.getMessage(Locale.ROOT);
            onLine.add(message);
            if (Arrays.stream(fragments).allMatch(message::contains)) {
                return;
            }
        }
        fail("expected one " + kind + " on line " + line + " of " + file.getName() + " (" + lineFragment.trim()
                + ") containing all of " + Arrays.toString(fragments) + "\n"
                + (onLine.isEmpty() ? "there is no " + kind + " on that line" : "on that line: " + onLine)
                + "\nall diagnostics:\n" + describe(compilation));
    }

    private static void assertNoErrorContaining(Compilation compilation, String text) {
        for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
            assertFalse(error.getMessage(Locale.ROOT).contains(text),
                    () -> "no error should contain '" + text + "':\n" + describe(compilation));
        }
    }

    private static final Pattern NEGATIVE = Pattern.compile("(?<![-\\w])-\\d");

    /** Sizes are never wrapped ints: no negative number appears in any diagnostic. */
    private static void assertNoNegativeNumbers(Compilation compilation) {
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
            assertFalse(NEGATIVE.matcher(diagnostic.getMessage(Locale.ROOT)).find(),
                    () -> "a negative (wrapped?) number in:\n" + describe(compilation));
        }
    }

    /** The 1-based number of the one line of the file containing the fragment. */
    private static long lineOf(JavaFileObject file, String fragment) {
        String[] lines;
        try {
            lines = file.getCharContent(true).toString().split("\n", -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long found = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(fragment)) {
                assertEquals(-1, found, "the test's line fragment '" + fragment + "' is not unique in "
                        + file.getName());
                found = i + 1;
            }
        }
        assertTrue(found > 0, "the test's line fragment '" + fragment + "' is not in " + file.getName());
        return found;
    }

    private static String describe(Compilation compilation) {
        StringBuilder text = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
            text.append("  ").append(d.getKind()).append(' ')
                    .append(d.getSource() == null ? "-" : d.getSource().getName()).append(':')
                    .append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
        }
        return text.toString();
    }

    /**
     * Loads the generated class from the compilation's class files, builds it from a parameter vector
     * of its PARAMETER_COUNT, runs forward once, checks the declared sizes, and returns summary().
     */
    private static String runGenerated(Compilation compilation, String className, int inputSize, int outputSize)
            throws Exception {
        Class<?> forward = new GeneratedClassLoader(compilation).loadClass(className);
        assertEquals(inputSize, forward.getField("INPUT_SIZE").getInt(null));
        assertEquals(outputSize, forward.getField("OUTPUT_SIZE").getInt(null));
        int parameters = forward.getField("PARAMETER_COUNT").getInt(null);
        float[] vector = new float[parameters];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (i % 7 - 3) * 0.01f;
        }
        Object instance = forward.getConstructor(float[].class).newInstance((Object) vector);
        float[] input = new float[inputSize];
        for (int i = 0; i < input.length; i++) {
            input[i] = (i % 5) * 0.1f;
        }
        float[] output = new float[outputSize];
        Method run = forward.getMethod("forward", float[].class, float[].class);
        run.invoke(instance, input, output);
        for (float value : output) {
            assertTrue(Float.isFinite(value), Arrays.toString(output));
        }
        return (String) forward.getMethod("summary").invoke(null);
    }

    /** Defines the classes a compile-testing compilation wrote, parent-first for everything else. */
    private static final class GeneratedClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes = new HashMap<>();

        GeneratedClassLoader(Compilation compilation) throws IOException {
            super(DiagnosticsTest.class.getClassLoader());
            for (JavaFileObject file : compilation.generatedFiles()) {
                if (file.getKind() != JavaFileObject.Kind.CLASS) {
                    continue;
                }
                String path = file.toUri().getPath();
                String marker = "CLASS_OUTPUT/";
                String name = path.substring(path.indexOf(marker) + marker.length(), path.length() - ".class".length())
                        .replace('/', '.');
                try (InputStream in = file.openInputStream()) {
                    classes.put(name, in.readAllBytes());
                }
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name + " (generated: " + classes.keySet() + ")");
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
