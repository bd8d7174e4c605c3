package dev.netforge.processor.reading;

import dev.netforge.processor.model.LayerDeclaration;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * A {@code @Model} class as read from the source: the plain declarations validation works on, the
 * names each layer's {@code @From} gives (null where it has none), and for each layer where it was written, so a problem can be reported on the exact attribute.
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
        List<List<String>> from,
        List<Location> layerLocations) {

    /** The attribute name under which a problem with a layer's {@code @From} is reported. */
    public static final String FROM = "@From";

    /**
     * Where one declaration was written: the field, its layer annotation, its {@code @From} (or
     * null), and the explicit values.
     */
    public record Location(Element element, AnnotationMirror annotation, AnnotationMirror fromAnnotation) {
        /** The attribute's value as written, or null when it was left at its default. */
        public AnnotationValue explicitValue(String attribute) {
            return AnnotationValues.explicit(annotation, attribute);
        }

        /** The annotation a problem with {@code attribute} belongs on: {@code @From} for {@link #FROM}. */
        public AnnotationMirror annotationFor(String attribute) {
            return FROM.equals(attribute) && fromAnnotation != null ? fromAnnotation : annotation;
        }

        /** The value a problem with {@code attribute} belongs on, or null for the whole annotation. */
        public AnnotationValue valueFor(String attribute) {
            if (attribute == null) {
                return null;
            }
            if (FROM.equals(attribute)) {
                return fromAnnotation == null ? null : AnnotationValues.explicit(fromAnnotation, "value");
            }
            return explicitValue(attribute);
        }
    }

    public Location modelLocation() {
        return new Location(modelClass, modelAnnotation, null);
    }
}
