package dev.netforge.processor.model;

import dev.netforge.processor.kinds.LayerKind;

/**
 * A layer exactly as the user wrote it, attribute values copied out of the annotation and not yet
 * checked. Validation turns a list of these into a {@link Network} or into problems that name the
 * layer and the attribute at fault. The attribute names are the annotation's method names, so a
 * problem can be placed on the exact {@code AnnotationValue}. Arrays are copied in and out.
 *
 * <p>Each kind's record is nested in its {@link LayerKind} class ({@code Conv2DKind.Declaration},
 * ...), which holds everything the processor does with that kind.
 */
public interface LayerDeclaration {

    /** The kind this layer is, which reads, checks, writes and describes it. */
    LayerKind<?, ?> kind();

    /** An {@code int[]} attribute of one value for both axes or {@code {height, width}}, as two values. */
    static int[] pair(int[] oneOrTwo) {
        return oneOrTwo.length == 1 ? new int[] {oneOrTwo[0], oneOrTwo[0]} : oneOrTwo.clone();
    }

    /**
     * A border attribute ({@code @ZeroPadding2D}, {@code @Cropping2D}) of one value (all sides), two
     * ({@code {vertical, horizontal}}) or four, as {@code {top, bottom, left, right}}.
     */
    static int[] sides(int[] values) {
        return values.length == 1 ? new int[] {values[0], values[0], values[0], values[0]}
                : values.length == 2 ? new int[] {values[0], values[0], values[1], values[1]} : values.clone();
    }

    String name();

    /** The annotation's simple name, as the user wrote it: {@code Conv2D}, {@code MaxPool}, ... */
    String annotationName();
}
