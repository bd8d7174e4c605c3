package dev.netforge.processor.reading;

import dev.netforge.Activation;
import dev.netforge.Padding;
import dev.netforge.processor.Reporter;
import dev.netforge.processor.kinds.LayerKind;
import dev.netforge.processor.kinds.LayerKinds;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.validation.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads a {@code @Model} class into a {@link DeclaredModel}: checks what only javac can see (the
 * kind of class, each field's modifiers and type, one layer annotation per field) and copies the
 * attribute values out as plain Java values. Shape rules are not checked here.
 */
public final class ModelReader {
    public static final String PACKAGE = "dev.netforge";
    public static final String MODEL = PACKAGE + ".Model";
    public static final String LAYER = PACKAGE + ".Layer";
    /** Every annotation that declares a layer, by qualified name: the registry's annotation names. */
    public static final Set<String> LAYER_ANNOTATIONS = LayerKinds.annotationNames().stream()
            .map(name -> PACKAGE + "." + name).collect(Collectors.toUnmodifiableSet());
    /** Names a layer's inputs; not a layer by itself. */
    public static final String FROM = PACKAGE + ".From";

    private final Elements elements;
    private final Types types;
    private final Reporter reporter;

    public ModelReader(Elements elements, Types types, Reporter reporter) {
        this.elements = elements;
        this.types = types;
        this.reporter = reporter;
    }

    /**
     * Reads one model class; reports what is wrong with the class or its fields and returns empty
     * when validation cannot sensibly go on (javac has already reported an unresolvable value, or
     * the class itself cannot hold a model).
     */
    public Optional<DeclaredModel> read(TypeElement modelClass) {
        AnnotationMirror model = findAnnotation(modelClass, MODEL);
        if (model == null || !canHoldModel(modelClass, model)) {
            return Optional.empty();
        }
        checkVisibility(modelClass, model); // reported, but the layers are still checked
        int[] input;
        String weights;
        String golden;
        try {
            input = AnnotationValues.intArray(elements, model, "input");
            weights = AnnotationValues.stringValue(elements, model, "weights");
            golden = AnnotationValues.stringValue(elements, model, "golden");
        } catch (UnreadableValueException e) {
            return Optional.empty();
        }
        List<LayerDeclaration> layers = new ArrayList<>();
        List<List<String>> from = new ArrayList<>();
        List<DeclaredModel.Location> locations = new ArrayList<>();
        TypeMirror layerType = layerType();
        for (Element member : modelClass.getEnclosedElements()) {
            if (member.getKind() != ElementKind.FIELD) {
                continue;
            }
            List<AnnotationMirror> layerAnnotations = layerAnnotations(member);
            if (layerAnnotations.isEmpty()) {
                AnnotationMirror stray = findAnnotation(member, FROM);
                if (stray != null) {
                    reporter.error(Rule.FROM, member.getSimpleName() + ": @From names a layer's inputs, but this field"
                            + " declares no layer; add a layer annotation or remove @From", member, stray, null);
                }
                continue;
            }
            checkField((VariableElement) member, layerAnnotations, layerType);
            AnnotationMirror annotation = layerAnnotations.get(0);
            AnnotationMirror fromAnnotation = findAnnotation(member, FROM);
            try {
                layers.add(declaration(member.getSimpleName().toString(), annotation));
                from.add(fromAnnotation == null ? null : AnnotationValues.stringArray(elements, fromAnnotation, "value"));
            } catch (UnreadableValueException e) {
                if (e.getMessage() != null) {
                    reporter.error(Rule.LAYER_FIELD, e.getMessage(), member, annotation,
                            AnnotationValues.explicit(annotation, e.attribute()));
                }
                return Optional.empty();
            }
            locations.add(new DeclaredModel.Location(member, annotation, fromAnnotation));
        }
        return Optional.of(new DeclaredModel(modelClass, model, packageName(modelClass),
                displayName(modelClass), forwardName(modelClass), input, weights, golden, layers, from, locations));
    }

    /** An interface, enum, record or annotation type has no instance fields to declare layers with. */
    private boolean canHoldModel(TypeElement type, AnnotationMirror model) {
        String kind = switch (type.getKind()) {
            case INTERFACE -> "an interface";
            case ENUM -> "an enum";
            case ANNOTATION_TYPE -> "an annotation type";
            case RECORD -> "a record";
            default -> null;
        };
        if (kind != null) {
            reporter.error(Rule.MODEL_CLASS, "@Model must be on a class, not on " + kind + " ("
                    + type.getSimpleName() + "): a model's layers are instance fields of a class", type, model, null);
            return false;
        }
        return true;
    }

    /** The generated class sits beside the model in its package and must be able to name it. */
    private void checkVisibility(TypeElement type, AnnotationMirror model) {
        if (type.getModifiers().contains(Modifier.PRIVATE)) {
            reporter.error(Rule.MODEL_CLASS, "@Model class " + type.getSimpleName()
                    + " must not be private: the generated " + forwardName(type)
                    + " sits beside it in the package; make it package-private or public", type, model, null);
        }
        if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)
                && type.getEnclosingElement().getKind() == ElementKind.CLASS) {
            reporter.error(Rule.MODEL_CLASS, "@Model class " + type.getSimpleName()
                    + " is a non-static inner class; declare it static", type, model, null);
        }
        if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            reporter.error(Rule.MODEL_CLASS, "@Model class " + type.getSimpleName()
                    + " is a local class; declare it at top level or as a static member class", type, model, null);
        }
        for (Element enclosing = type.getEnclosingElement();
             enclosing != null && enclosing.getKind() != ElementKind.PACKAGE;
             enclosing = enclosing.getEnclosingElement()) {
            if (enclosing.getModifiers().contains(Modifier.PRIVATE)) {
                reporter.error(Rule.MODEL_CLASS, "@Model class " + type.getSimpleName() + " is inside private "
                        + enclosing.getSimpleName() + ", which the generated class cannot see", type, model, null);
            }
        }
    }

    private void checkField(VariableElement field, List<AnnotationMirror> annotations, TypeMirror layerType) {
        String name = field.getSimpleName().toString();
        for (AnnotationMirror extra : annotations.subList(1, annotations.size())) {
            reporter.error(Rule.ONE_LAYER_PER_FIELD, name + ": a field declares one layer, but it has both @"
                    + simpleName(annotations.get(0)) + " and @" + simpleName(extra)
                    + "; declare each layer on its own field", field, extra, null);
        }
        if (field.getModifiers().contains(Modifier.STATIC)) {
            reporter.error(Rule.LAYER_FIELD, name + ": a layer field must be an instance field, not static;"
                    + " remove 'static'", field, annotations.get(0), null);
        }
        if (layerType != null && !types.isSameType(field.asType(), layerType)) {
            reporter.error(Rule.LAYER_FIELD, name + ": a layer field must have type dev.netforge.Layer; found "
                    + field.asType(), field, annotations.get(0), null);
        }
    }

    private LayerDeclaration declaration(String name, AnnotationMirror annotation) throws UnreadableValueException {
        String kind = simpleName(annotation);
        LayerKind<?, ?> layerKind = LayerKinds.forAnnotation(kind);
        if (layerKind == null) {
            throw new IllegalStateException("no reader for @" + kind);
        }
        return layerKind.read(name, kind, new Attributes(annotation));
    }

    /** One annotation's attributes, read through {@link AnnotationValues}. */
    private final class Attributes implements AnnotationReader {
        private final AnnotationMirror annotation;

        Attributes(AnnotationMirror annotation) {
            this.annotation = annotation;
        }

        @Override
        public int intValue(String attribute) throws UnreadableValueException {
            return AnnotationValues.intValue(elements, annotation, attribute);
        }

        @Override
        public double doubleValue(String attribute) throws UnreadableValueException {
            return AnnotationValues.doubleValue(elements, annotation, attribute);
        }

        @Override
        public float floatValue(String attribute) throws UnreadableValueException {
            return AnnotationValues.floatValue(elements, annotation, attribute);
        }

        @Override
        public boolean booleanValue(String attribute) throws UnreadableValueException {
            return AnnotationValues.booleanValue(elements, annotation, attribute);
        }

        @Override
        public int[] intArray(String attribute) throws UnreadableValueException {
            return AnnotationValues.intArray(elements, annotation, attribute);
        }

        @Override
        public Padding padding() throws UnreadableValueException {
            return AnnotationValues.enumValue(elements, annotation, "padding", Padding.class);
        }

        @Override
        public Activation activation(String attribute) throws UnreadableValueException {
            return AnnotationValues.enumValue(elements, annotation, attribute, Activation.class);
        }
    }

    private List<AnnotationMirror> layerAnnotations(Element field) {
        List<AnnotationMirror> found = new ArrayList<>();
        for (AnnotationMirror mirror : field.getAnnotationMirrors()) {
            if (LAYER_ANNOTATIONS.contains(qualifiedName(mirror))) {
                found.add(mirror);
            }
        }
        return found;
    }

    private TypeMirror layerType() {
        TypeElement layer = elements.getTypeElement(LAYER);
        return layer == null ? null : layer.asType();
    }

    static AnnotationMirror findAnnotation(Element element, String qualifiedName) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (qualifiedName(mirror).equals(qualifiedName)) {
                return mirror;
            }
        }
        return null;
    }

    private static String qualifiedName(AnnotationMirror mirror) {
        return ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
    }

    private static String simpleName(AnnotationMirror mirror) {
        return mirror.getAnnotationType().asElement().getSimpleName().toString();
    }

    private String packageName(TypeElement type) {
        PackageElement pkg = elements.getPackageOf(type);
        return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
    }

    /** {@code MnistNetForward}, or {@code Outer_InnerForward} for a nested class, so nested models cannot collide. */
    public static String forwardName(TypeElement type) {
        String name = type.getSimpleName().toString();
        for (Element e = type.getEnclosingElement(); e instanceof TypeElement outer; e = e.getEnclosingElement()) {
            name = outer.getSimpleName() + "_" + name;
        }
        return name + "Forward";
    }

    /** The model's name as the user writes it: {@code MnistNet}, or {@code Outer.Inner}. */
    private static String displayName(TypeElement type) {
        String name = type.getSimpleName().toString();
        for (Element e = type.getEnclosingElement(); e instanceof TypeElement outer; e = e.getEnclosingElement()) {
            name = outer.getSimpleName() + "." + name;
        }
        return name;
    }
}
