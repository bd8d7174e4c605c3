package dev.netforge.processor.model;

import dev.netforge.Activation;
import dev.netforge.Padding;

/**
 * A layer exactly as the user wrote it, attribute values copied out of the annotation and not yet
 * checked. Validation turns a list of these into a {@link Network} or into problems that name the
 * layer and the attribute at fault. The attribute names are the annotation's method names, so a
 * problem can be placed on the exact {@code AnnotationValue}.
 */
public sealed interface LayerDeclaration {
    String name();

    /** The annotation's simple name, as the user wrote it: {@code Conv2D}, {@code MaxPool}, ... */
    String annotationName();

    record Conv2DDeclaration(String name, int filters, int[] kernel, int[] strides, Padding padding,
                             Activation activation, boolean useBias) implements LayerDeclaration {
        public Conv2DDeclaration {
            kernel = kernel.clone();
            strides = strides.clone();
        }

        public String annotationName() {
            return "Conv2D";
        }

        @Override
        public int[] kernel() {
            return kernel.clone();
        }

        @Override
        public int[] strides() {
            return strides.clone();
        }
    }

    record MaxPoolDeclaration(String name, int[] pool, int[] strides, Padding padding)
            implements LayerDeclaration {
        public MaxPoolDeclaration {
            pool = pool.clone();
            strides = strides.clone();
        }

        public String annotationName() {
            return "MaxPool";
        }

        @Override
        public int[] pool() {
            return pool.clone();
        }

        @Override
        public int[] strides() {
            return strides.clone();
        }
    }

    record FlattenDeclaration(String name) implements LayerDeclaration {
        public String annotationName() {
            return "Flatten";
        }
    }

    record DenseDeclaration(String name, int units, Activation activation, boolean useBias)
            implements LayerDeclaration {
        public String annotationName() {
            return "Dense";
        }
    }
}
