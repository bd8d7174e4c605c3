package dev.netforge.processor.fuzz;

import dev.netforge.processor.NetForgeProcessor;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;

/**
 * The real {@link NetForgeProcessor} behind a {@link Filer} that records every source file it
 * writes, by qualified name, with its text. compile-testing hands out generated files only when a
 * compilation succeeded; this sees them in a failed one too, which is how the fuzzer proves that a
 * rejected model got no generated class ("never both").
 */
final class RecordingProcessor implements Processor {
    private final NetForgeProcessor delegate = new NetForgeProcessor();
    private final Map<String, StringWriter> written = new ConcurrentHashMap<>();

    /** Qualified name to the text written, for every source the processor created. */
    Map<String, String> writtenSources() {
        Map<String, String> texts = new java.util.TreeMap<>();
        written.forEach((name, text) -> texts.put(name, text.toString()));
        return texts;
    }

    @Override
    public Set<String> getSupportedOptions() {
        return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return delegate.getSupportedSourceVersion();
    }

    @Override
    public void init(ProcessingEnvironment environment) {
        delegate.init(new ProcessingEnvironment() {
            private final Filer filer = new RecordingFiler(environment.getFiler());

            @Override
            public Map<String, String> getOptions() {
                return environment.getOptions();
            }

            @Override
            public Messager getMessager() {
                return environment.getMessager();
            }

            @Override
            public Filer getFiler() {
                return filer;
            }

            @Override
            public Elements getElementUtils() {
                return environment.getElementUtils();
            }

            @Override
            public Types getTypeUtils() {
                return environment.getTypeUtils();
            }

            @Override
            public SourceVersion getSourceVersion() {
                return environment.getSourceVersion();
            }

            @Override
            public Locale getLocale() {
                return environment.getLocale();
            }

            @Override
            public boolean isPreviewEnabled() {
                return environment.isPreviewEnabled();
            }
        });
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        return delegate.process(annotations, round);
    }

    @Override
    public Iterable<? extends Completion> getCompletions(Element element, AnnotationMirror annotation,
                                                         ExecutableElement member, String userText) {
        return delegate.getCompletions(element, annotation, member, userText);
    }

    private final class RecordingFiler implements Filer {
        private final Filer filer;

        RecordingFiler(Filer filer) {
            this.filer = filer;
        }

        @Override
        public JavaFileObject createSourceFile(CharSequence name, Element... originatingElements) throws IOException {
            JavaFileObject file = filer.createSourceFile(name, originatingElements);
            StringWriter copy = new StringWriter();
            written.put(name.toString(), copy);
            return new ForwardingJavaFileObject<>(file) {
                @Override
                public Writer openWriter() throws IOException {
                    return new FilterWriter(super.openWriter()) {
                        @Override
                        public void write(int c) throws IOException {
                            super.write(c);
                            copy.write(c);
                        }

                        @Override
                        public void write(char[] buffer, int offset, int length) throws IOException {
                            super.write(buffer, offset, length);
                            copy.write(buffer, offset, length);
                        }

                        @Override
                        public void write(String text, int offset, int length) throws IOException {
                            super.write(text, offset, length);
                            copy.write(text, offset, length);
                        }
                    };
                }
            };
        }

        @Override
        public JavaFileObject createClassFile(CharSequence name, Element... originatingElements) throws IOException {
            return filer.createClassFile(name, originatingElements);
        }

        @Override
        public FileObject createResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
                                         CharSequence relativeName, Element... originatingElements) throws IOException {
            return filer.createResource(location, moduleAndPkg, relativeName, originatingElements);
        }

        @Override
        public FileObject getResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
                                      CharSequence relativeName) throws IOException {
            return filer.getResource(location, moduleAndPkg, relativeName);
        }
    }
}
