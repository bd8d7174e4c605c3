/**
 * Keras's shape and weight arithmetic, once, for everything that computes it: the annotation
 * processor validates a declared model with it and the importer checks a file's architecture and
 * weights with it, so the two can never disagree on a size. Plain functions on {@code long}s and
 * {@code int[]}s; no dependency beyond {@code java.base}.
 *
 * <p>The formulas are Keras's ({@code keras/src/ops/operation_utils.py} and
 * {@code keras/src/utils/conv_utils.py}: {@code compute_conv_output_shape},
 * {@code deconv_output_length}) with TensorFlow's split of 'same' padding (the odd cell at the
 * bottom/right); docs/SEMANTICS.md states them for every layer.
 */
package dev.netforge.shapes;
