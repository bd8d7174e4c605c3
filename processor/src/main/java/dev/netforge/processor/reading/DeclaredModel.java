package dev.netforge.processor.reading;

import dev.netforge.processor.model.LayerDeclaration;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * A {@code @Model} class as read from the source: the plain declarations validation works on, and
 * for each of them where it was written, so a problem can be reported on the exact attribute.
 * {@code modelName} is the name as written ({@code Outer.Inner}); {@code forwardName} the simple
 * name of the class to generate ({@code Outer_InnerForward}).
 */
public record DeclaredModel(
        TypeElement modelClass,
        AnnotationMirror modelAnnotation,
        String packageName,
        String modelName,
        String forwardName,
        int[] input,
        String weights,
        String golden,
        List<LayerDeclaration> layers,
        List<Location> layerLocations) {

    /** Where one declaration was written: the field, its layer annotation, and the explicit values. */
    public record Location(Element element, AnnotationMirror annotation) {
        /** The attribute's value as written, or null when it was left at its default. */
        public AnnotationValue explicitValue(String attribute) {
            return AnnotationValues.explicit(annotation, attribute);
        }
    }

    public Location modelLocation() {
        return new Location(modelClass, modelAnnotation);
    }
}
