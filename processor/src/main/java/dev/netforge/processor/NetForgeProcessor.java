package dev.netforge.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import dev.netforge.processor.model.Network;
import dev.netforge.processor.reading.DeclaredModel;
import dev.netforge.processor.reading.ModelReader;
import dev.netforge.processor.validation.NetworkValidator;
import dev.netforge.processor.validation.Problem;
import dev.netforge.processor.validation.Rule;
import dev.netforge.processor.weights.WeightBundler;
import dev.netforge.processor.writer.ForwardWriter;
import dev.netforge.processor.writer.SummaryTable;
import dev.netforge.processor.writer.MemoryPlan;
import java.io.IOException;
import java.io.Writer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;

/**
 * The entry point: for each {@code @Model} class, read it ({@link ModelReader}), check it
 * ({@link NetworkValidator}), and write its forward pass ({@link ForwardWriter}). Each class is
 * processed inside its own exception boundary, so a bug of ours becomes one "internal error" on
 * that class and never a crash of javac; a class with any error gets no generated code.
 */
@AutoService(Processor.class)
public final class NetForgeProcessor extends AbstractProcessor {
    private static final String GENERATED = "javax.annotation.processing.Generated";

    /** Generated class to the model it came from, to report two models that would generate one name. */
    private final Map<String, TypeElement> generatedFrom = new HashMap<>();
    private Reporter reporter;
    private ProcessorOptions options;

    @Override
    public synchronized void init(ProcessingEnvironment environment) {
        super.init(environment);
        reporter = new Reporter(environment.getMessager());
        options = ProcessorOptions.parse(environment.getOptions(), reporter);
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        // @Generated too: the round that compiles our output sees it, and unless someone claims it
        // javac's -Xlint:processing warns "No processor claimed ...", which breaks -Werror builds.
        return Stream.concat(Stream.of(ModelReader.MODEL, ModelReader.FROM, GENERATED),
                        ModelReader.LAYER_ANNOTATIONS.stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Set<String> getSupportedOptions() {
        return ProcessorOptions.names();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement model = processingEnv.getElementUtils().getTypeElement(ModelReader.MODEL);
        if (model == null) {
            return false; // netforge-runtime is not on the class path; javac reports the missing types
        }
        for (Element element : round.getElementsAnnotatedWith(model)) {
            if (element instanceof TypeElement type) {
                processModel(type);
            }
        }
        reportLayersOutsideModels(annotations, round);
        return true; // the annotations are NetForge's own: claiming them keeps -Xlint:processing quiet
    }

    /** The exception boundary: nothing thrown while handling one model escapes to javac. */
    private void processModel(TypeElement type) {
        try {
            int errorsBefore = reporter.errorCount();
            ModelReader reader = new ModelReader(processingEnv.getElementUtils(), processingEnv.getTypeUtils(), reporter);
            DeclaredModel declared = reader.read(type).orElse(null);
            if (declared == null) {
                return;
            }
            NetworkValidator.Result result = NetworkValidator.validate(declared.packageName(), declared.modelName(),
                    declared.forwardName(), declared.input(), declared.layers(), declared.from());
            for (Problem problem : result.problems()) {
                report(declared, problem);
            }
            if (reporter.errorCount() > errorsBefore || result.network().isEmpty()) {
                return; // nothing is generated for a class with an error
            }
            Network network = result.network().get();
            if (options.printSummary()) {
                reporter.note(String.join("\n", SummaryTable.lines(network, MemoryPlan.of(network))), type);
            }
            boolean generated = processingEnv.getElementUtils()
                    .getTypeElement(GENERATED) != null;
            WeightBundler.Outcome bundle = null;
            if (!declared.weights().isEmpty()) {
                bundle = WeightBundler.load(processingEnv.getFiler(), options.weightsDir(), declared.packageName(),
                        declared.weights(), declared.golden(), network, declared.layers());
                for (WeightBundler.Problem problem : bundle.problems()) {
                    DeclaredModel.Location location = problem.layerIndex() < 0 ? declared.modelLocation()
                            : declared.layerLocations().get(problem.layerIndex());
                    reporter.error(Rule.WEIGHTS_MISMATCH, problem.message(), location.element(),
                            location.annotationFor(problem.attribute()), location.valueFor(problem.attribute()));
                }
                if (!bundle.ok()) {
                    return;
                }
            }
            JavaFile file = ForwardWriter.write(network, generated, bundle == null ? null
                    : new ForwardWriter.Bundle(network.forwardClassName() + ".weights", bundle.goldenInput() != null,
                    declared.weights(), bundle.skipped(), sourceFileName(type)));
            String qualified = network.packageName().isEmpty() ? network.forwardClassName()
                    : network.packageName() + "." + network.forwardClassName();
            TypeElement earlier = generatedFrom.putIfAbsent(qualified, type);
            if (earlier != null) {
                reporter.error(Rule.NAME_CLASH, "both " + earlier.getQualifiedName() + " and " + type.getQualifiedName()
                        + " would generate " + qualified + "; rename one of them", type, declared.modelAnnotation(), null);
                return;
            }
            // Through the Filer with the model class as the one originating element (Gradle's
            // isolating mode relies on it).
            JavaFileObject source = processingEnv.getFiler().createSourceFile(qualified, type);
            try (Writer writer = source.openWriter()) {
                file.writeTo(writer);
            }
            if (bundle != null) {
                WeightBundler.write(processingEnv.getFiler(), network, bundle, type);
            }
        } catch (IOException e) {
            reporter.error(Rule.INTERNAL_ERROR, "could not write " + ModelReader.forwardName(type) + ": " + e, type);
        } catch (RuntimeException | Error e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            reporter.error(Rule.INTERNAL_ERROR, "internal error in the NetForge processor, please report it with"
                    + " this model: " + trace, type);
        }
    }

    /** The model's source file name as a user sees it: its top-level class's, {@code Net.java}. */
    private static String sourceFileName(TypeElement type) {
        Element outermost = type;
        while (outermost.getEnclosingElement() != null
                && outermost.getEnclosingElement().getKind() != ElementKind.PACKAGE
                && outermost.getEnclosingElement().getKind() != ElementKind.MODULE) {
            outermost = outermost.getEnclosingElement();
        }
        return outermost.getSimpleName() + ".java";
    }

    private void report(DeclaredModel declared, Problem problem) {
        DeclaredModel.Location location = problem.layerIndex() == Problem.MODEL
                ? declared.modelLocation()
                : declared.layerLocations().get(problem.layerIndex());
        AnnotationMirror annotation = location.annotationFor(problem.attribute());
        var value = location.valueFor(problem.attribute());
        if (problem.severity() == Problem.Severity.ERROR) {
            reporter.error(problem.rule(), problem.message(), location.element(), annotation, value);
        } else {
            reporter.warning(problem.rule(), problem.message(), location.element(), annotation, value);
        }
    }

    /** A layer annotation on a field of a class without {@code @Model} would silently do nothing. */
    private void reportLayersOutsideModels(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (TypeElement annotation : annotations) {
            String name = annotation.getQualifiedName().toString();
            if (!ModelReader.LAYER_ANNOTATIONS.contains(name) && !name.equals(ModelReader.FROM)) {
                continue;
            }
            for (Element field : round.getElementsAnnotatedWith(annotation)) {
                Element owner = field.getEnclosingElement();
                boolean inModel = owner != null && owner.getAnnotationMirrors().stream().anyMatch(m ->
                        ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName()
                                .contentEquals(ModelReader.MODEL));
                boolean fieldLike = field.getKind() == ElementKind.FIELD || field.getKind() == ElementKind.ENUM_CONSTANT;
                if (!inModel && fieldLike) {
                    reporter.error(Rule.LAYER_FIELD, field.getSimpleName() + ": @" + annotation.getSimpleName()
                            + " declares a layer, but " + (owner == null ? "its class" : owner.getSimpleName())
                            + " has no @Model annotation; add @Model(input = {...}) to the class", field);
                }
            }
        }
    }
}
