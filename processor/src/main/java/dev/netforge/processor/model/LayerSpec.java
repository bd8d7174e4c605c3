package dev.netforge.processor.model;

import dev.netforge.Activation;

/**
 * One layer of a validated network, with every size resolved to a number: the input the writer
 * reads, the output it writes, and the layer's own constants. Immutable; no javac types.
 */
public sealed interface LayerSpec {
    /** The field name, which names the layer in diagnostics, the summary and weight files. */
    String name();

    Shape input();

    Shape output();

    /** The Keras class this layer corresponds to, as the summary shows it. */
    String kerasName();

    /** Parameters as Keras counts them. */
    long parameterCount();

    /** Multiply-accumulate operations of one forward pass, as the summary reports them. */
    long multiplyAccumulates();

    /** A 2-D convolution over a valid (already padded) window. */
    record Conv2DSpec(String name, Shape input, Shape output, int filters, Window window,
                      Activation activation, boolean useBias) implements LayerSpec {
        public String kerasName() {
            return "Conv2D";
        }

        /** Kernel elements, {@code KH * KW * CIN * F}. */
        public long kernelSize() {
            return (long) window.height() * window.width() * input.channels() * filters;
        }

        public long parameterCount() {
            return kernelSize() + (useBias ? filters : 0);
        }

        public long multiplyAccumulates() {
            return (long) output.height() * output.width()
                    * window.height() * window.width() * input.channels() * filters;
        }
    }

    /** Max pooling; padded cells never take part. */
    record MaxPoolSpec(String name, Shape input, Shape output, Window window) implements LayerSpec {
        public String kerasName() {
            return "MaxPooling2D";
        }

        public long parameterCount() {
            return 0;
        }

        public long multiplyAccumulates() {
            return 0;
        }
    }

    /** Flatten; moves no data because activations are stored flat already. */
    record FlattenSpec(String name, Shape input, Shape output) implements LayerSpec {
        public String kerasName() {
            return "Flatten";
        }

        public long parameterCount() {
            return 0;
        }

        public long multiplyAccumulates() {
            return 0;
        }
    }

    /** A fully connected layer; kernel {@code (N, UNITS)} row-major. */
    record DenseSpec(String name, Shape input, Shape output, int units, Activation activation,
                     boolean useBias) implements LayerSpec {
        public String kerasName() {
            return "Dense";
        }

        public long kernelSize() {
            return (long) input.size() * units;
        }

        public long parameterCount() {
            return kernelSize() + (useBias ? units : 0);
        }

        public long multiplyAccumulates() {
            return kernelSize();
        }
    }
}
