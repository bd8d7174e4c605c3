package dev.netforge.processor.testing;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.netforge.processor.NetForgeProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * A model compiled in memory by the real processor (with {@code -Xlint:all -Werror}, as a strict
 * user's build), its generated classes loaded from the compiler's output, and reflective access to
 * the generated API of the public contract.
 */
public final class CompiledModel {
    private final Compilation compilation;
    private final Map<String, byte[]> classFiles = new HashMap<>();
    private final Class<?> forwardClass;

    private CompiledModel(Compilation compilation, String forwardClassName) {
        this.compilation = compilation;
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() == JavaFileObject.Kind.CLASS) {
                String path = file.toUri().getPath();
                String binary = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(),
                        path.length() - ".class".length()).replace('/', '.');
                try (InputStream in = file.openInputStream()) {
                    classFiles.put(binary, in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        ClassLoader loader = new ClassLoader(CompiledModel.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classFiles.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
        try {
            this.forwardClass = Class.forName(forwardClassName, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("generated class " + forwardClassName + " not found; generated: "
                    + classFiles.keySet(), e);
        }
    }

    /** Compiles {@code source} (class {@code packageName.className}) and loads {@code XForward}. */
    public static CompiledModel compile(String packageName, String className, String source) {
        String qualified = packageName.isEmpty() ? className : packageName + "." + className;
        return compile(qualified, JavaFileObjects.forSourceString(qualified, source));
    }

    /** Compiles the sources, the first of which is the model {@code qualifiedModelName}. */
    public static CompiledModel compile(String qualifiedModelName, JavaFileObject... sources) {
        Compilation compilation = Compiler.javac()
                .withProcessors(new NetForgeProcessor())
                .withOptions("-Xlint:all", "-Werror")
                .compile(sources);
        assertThat(compilation).succeededWithoutWarnings();
        return new CompiledModel(compilation, qualifiedModelName + "Forward");
    }

    /** Loads another class of the compilation (a test driver compiled beside the model). */
    public Class<?> load(String binaryName) {
        try {
            return Class.forName(binaryName, true, forwardClass.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    public Compilation compilation() {
        return compilation;
    }

    /** Every generated class file, by binary name. */
    public Map<String, byte[]> classFiles() {
        return classFiles;
    }

    public Class<?> forwardClass() {
        return forwardClass;
    }

    public int constant(String name) {
        try {
            return forwardClass.getField(name).getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    public String summary() {
        try {
            return (String) forwardClass.getMethod("summary").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A new instance built from a parameter vector, through {@code XForward(float[])}. */
    public Instance instance(float[] parameters) {
        try {
            Constructor<?> constructor = forwardClass.getConstructor(float[].class);
            return new Instance(constructor.newInstance((Object) parameters),
                    forwardClass.getMethod("forward", float[].class, float[].class));
        } catch (InvocationTargetException e) {
            throw rethrow(e);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** One generated instance; {@link #forward} calls the real method (reflection allocates nothing here). */
    public static final class Instance {
        private final Object target;
        private final Method forward;

        Instance(Object target, Method forward) {
            this.target = target;
            this.forward = forward;
        }

        public Object target() {
            return target;
        }

        public void forward(float[] input, float[] output) {
            try {
                forward.invoke(target, input, output);
            } catch (InvocationTargetException e) {
                throw rethrow(e);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static RuntimeException rethrow(InvocationTargetException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw new AssertionError(e.getCause());
    }
}
