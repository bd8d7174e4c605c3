package dev.netforge.processor;

import dev.netforge.processor.validation.Rule;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Every diagnostic goes through here, tagged with its rule, placed as precisely as javac allows:
 * on the attribute's value when the user wrote one (so an IDE underlines {@code kernel = 5}), else
 * on the annotation, else on the element. Counts errors so a model with any is not generated.
 */
public final class Reporter {
    private final Messager messager;
    private int errors;

    public Reporter(Messager messager) {
        this.messager = messager;
    }

    public void error(Rule rule, String message, Element element, AnnotationMirror annotation,
                      AnnotationValue value) {
        errors++;
        print(Diagnostic.Kind.ERROR, rule, message, element, annotation, value);
    }

    public void error(Rule rule, String message, Element element) {
        error(rule, message, element, null, null);
    }

    public void warning(Rule rule, String message, Element element, AnnotationMirror annotation,
                        AnnotationValue value) {
        print(Diagnostic.Kind.WARNING, rule, message, element, annotation, value);
    }

    public void note(String message, Element element) {
        messager.printMessage(Diagnostic.Kind.NOTE, message, element);
    }

    public int errorCount() {
        return errors;
    }

    private void print(Diagnostic.Kind kind, Rule rule, String message, Element element,
                       AnnotationMirror annotation, AnnotationValue value) {
        String text = "[" + rule.id() + "] " + message;
        if (annotation == null) {
            messager.printMessage(kind, text, element);
        } else if (value == null) {
            messager.printMessage(kind, text, element, annotation);
        } else {
            messager.printMessage(kind, text, element, annotation, value);
        }
    }
}
