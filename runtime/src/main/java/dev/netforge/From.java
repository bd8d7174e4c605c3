package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The layers whose outputs this layer takes, in order, instead of the field declared just above it:
 * how a network branches and merges.
 *
 * <pre>{@code
 * @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME) Layer a2;
 * @Add @From({"stem", "a2"}) Layer sum1;                               // identity shortcut
 * @Conv2D(filters = 32, kernel = 1, strides = 2) @From("relu1") Layer proj;  // a branch
 * }</pre>
 *
 * <p>Each name is a layer field declared earlier in the class, or {@link Model#INPUT} ({@code
 * "input"}) for the model's input; so every network is acyclic by construction. A merging layer
 * ({@link Add}, {@link Subtract}, {@link Multiply}, {@link Average}, {@link Maximum}, {@link Minimum},
 * {@link Concatenate}) takes two or more names; any other layer exactly one. Every layer's output
 * must reach a later layer, and the model's output is its last field.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface From {
    /** The names of the layers (or {@code "input"}) this layer takes, in order. */
    String[] value();
}
