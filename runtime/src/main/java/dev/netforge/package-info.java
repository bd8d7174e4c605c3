/**
 * NetForge: declare a neural network with annotations on a class, and the annotation processor
 * checks it at compile time and generates its forward pass as plain Java.
 *
 * <p>Semantics follow Keras (TensorFlow backend, channels last, float32, batch 1). Activations
 * are stored flat, element {@code (h, w, c)} of an H x W x C tensor at {@code (h * W + w) * C + c}.
 */
package dev.netforge;
