package dev.netforge.processor.validation;

/**
 * One thing wrong (or worth a warning) in a declared network, located by layer and attribute so the
 * processor can put it on the exact annotation value the user wrote.
 *
 * @param layerIndex the layer's position in declaration order, or {@link #MODEL} for the model class
 * @param attribute  the annotation attribute at fault ({@code "kernel"}, {@code "input"}), or null
 *                   for the annotation as a whole
 */
public record Problem(Severity severity, Rule rule, int layerIndex, String attribute, String message) {
    public static final int MODEL = -1;

    public enum Severity { ERROR, WARNING }
}
