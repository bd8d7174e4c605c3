package dev.netforge;

/**
 * The type of a layer field in a {@link Model} class. The field is a declaration only: the
 * annotation on it says what the layer is, the field's name names it, and its value is never read,
 * so it is normally left unassigned.
 *
 * <pre>{@code
 * @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
 * }</pre>
 */
public interface Layer {
}
