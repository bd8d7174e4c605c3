package dev.netforge.spark;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A generated forward class loaded by name on an executor, and its {@code Weights}, built once per
 * JVM: a static cache keyed by the class name (and the parameter resource, when one is given),
 * filled lazily and thread-safely ({@link ConcurrentMap#computeIfAbsent}: concurrent tasks of one
 * executor wait for the one that builds). A load that fails caches nothing, so every task that
 * needs the model reports the same message.
 *
 * <p>Generated classes share no interface: the constructor and {@code forward(float[], float[])}
 * are called through method handles typed on {@code Object}, resolved once per JVM.
 */
final class LoadedModel {
    private static final ConcurrentMap<String, LoadedModel> CACHE = new ConcurrentHashMap<>();
    private static final ConcurrentMap<String, AtomicInteger> BUILDS = new ConcurrentHashMap<>();
    private static final MethodType CONSTRUCTOR = MethodType.methodType(Object.class, Object.class);
    private static final MethodType FORWARD = MethodType.methodType(void.class, Object.class, float[].class,
            float[].class);

    private final String className;
    private final int inputSize;
    private final int outputSize;
    private final Object weights;
    private final MethodHandle constructor;
    private final MethodHandle forward;

    private LoadedModel(String className, int inputSize, int outputSize, Object weights, MethodHandle constructor,
            MethodHandle forward) {
        this.className = className;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.weights = weights;
        this.constructor = constructor;
        this.forward = forward;
    }

    /**
     * The model of this JVM for {@code className} with the given parameters, loaded and its weights
     * built on the first call.
     *
     * @param parametersResource a class-path resource holding the parameter vector, or null for the
     *     weights bundled at compile time
     */
    static LoadedModel get(String className, String parametersResource) {
        return CACHE.computeIfAbsent(key(className, parametersResource), k -> load(className, parametersResource));
    }

    /** How many times this JVM has built the weights for that key (0 or 1 unless the cache was cleared). */
    static int weightsBuilt(String className, String parametersResource) {
        AtomicInteger count = BUILDS.get(key(className, parametersResource));
        return count == null ? 0 : count.get();
    }

    private static String key(String className, String parametersResource) {
        return parametersResource == null ? className : className + " with parameters " + parametersResource;
    }

    String className() {
        return className;
    }

    int inputSize() {
        return inputSize;
    }

    int outputSize() {
        return outputSize;
    }

    /** A new instance over the shared weights: it owns only scratch arrays; one per thread. */
    Object newInstance() {
        try {
            return (Object) constructor.invokeExact(weights);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create " + className + ": " + e, e);
        }
    }

    /** {@code instance.forward(input, output)}: input of {@link #inputSize()}, output of {@link #outputSize()}. */
    void forward(Object instance, float[] input, float[] output) {
        try {
            forward.invokeExact(instance, input, output);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(className + ".forward failed: " + e, e);
        }
    }

    private static LoadedModel load(String className, String parametersResource) {
        Class<?> type = loadClass(className);
        int inputSize = sizeConstant(type, "INPUT_SIZE");
        int outputSize = sizeConstant(type, "OUTPUT_SIZE");
        Class<?> weightsType = weightsClass(type);
        try {
            Constructor<?> constructor = type.getConstructor(weightsType);
            Method forward = type.getMethod("forward", float[].class, float[].class);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle newInstance = lookup.unreflectConstructor(constructor).asType(CONSTRUCTOR);
            MethodHandle forwardHandle = lookup.unreflect(forward).asType(FORWARD);
            Object weights = parametersResource == null ? bundledWeights(type, weightsType)
                    : weightsFromResource(type, weightsType, parametersResource);
            BUILDS.computeIfAbsent(key(className, parametersResource), k -> new AtomicInteger()).incrementAndGet();
            return new LoadedModel(className, inputSize, outputSize, weights, newInstance, forwardHandle);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw notGenerated(type, "no public constructor " + type.getSimpleName() + "(Weights) and method"
                    + " forward(float[], float[]) (" + e + ")");
        }
    }

    private static Class<?> loadClass(String className) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = LoadedModel.class.getClassLoader();
        ClassNotFoundException notFound = null;
        for (ClassLoader loader : context == null || context == own ? new ClassLoader[] {own}
                : new ClassLoader[] {context, own}) {
            try {
                return Class.forName(className, true, loader);
            } catch (ClassNotFoundException e) {
                notFound = e;
            } catch (LinkageError e) {
                throw new IllegalStateException("NetForge model class " + className + " was found on this"
                        + " executor but cannot be loaded: " + e + ". Put netforge-runtime's jar (the generated"
                        + " class needs it) on the executors' class path (spark-submit --jars"
                        + " netforge-runtime-<version>.jar,<model jar>), from the same NetForge version that"
                        + " generated the class.", e);
            }
        }
        throw new IllegalStateException("NetForge model class " + className + " not found on this executor's class"
                + " path. Put the jar that holds the generated class " + className + " (the build output of the"
                + " module that declares its @Model class) and netforge-runtime's jar on the executors' class path,"
                + " e.g. spark-submit --jars <model jar>,netforge-runtime-<version>.jar; name the generated class"
                + " (XForward), not the @Model class X.", notFound);
    }

    private static int sizeConstant(Class<?> type, String name) {
        try {
            var field = type.getField(name);
            if (field.getType() != int.class || !Modifier.isStatic(field.getModifiers())) {
                throw notGenerated(type, name + " is not a static int");
            }
            return field.getInt(null);
        } catch (NoSuchFieldException | IllegalAccessException e) {
            throw notGenerated(type, "no public static int " + name);
        }
    }

    private static Class<?> weightsClass(Class<?> type) {
        for (Class<?> nested : type.getClasses()) {
            if (nested.getSimpleName().equals("Weights")) {
                return nested;
            }
        }
        throw notGenerated(type, "no nested class Weights");
    }

    private static IllegalArgumentException notGenerated(Class<?> type, String what) {
        String hint = "";
        try {
            Class.forName(type.getName() + "Forward", false, type.getClassLoader());
            hint = " It looks like the @Model class: name the generated " + type.getName() + "Forward.";
        } catch (ClassNotFoundException | LinkageError e) {
            // no hint
        }
        return new IllegalArgumentException(type.getName() + " is not a class generated by NetForge (" + what
                + ")." + hint);
    }

    private static Object bundledWeights(Class<?> type, Class<?> weightsType) {
        Method bundled;
        try {
            bundled = weightsType.getMethod("bundled");
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " has no bundled weights (its @Model names no"
                    + " weights file): give its parameter vector with NetForgeScorer.parametersResource(...)");
        }
        return invoke(bundled, type, "building the bundled weights of " + type.getName());
    }

    private static Object weightsFromResource(Class<?> type, Class<?> weightsType, String resource) {
        String path = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = type.getClassLoader();
        byte[] bytes;
        try (InputStream in = loader == null ? null : loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("parameter resource " + path + " for " + type.getName()
                        + " not found on this executor's class path: put it in a jar on the executors' class"
                        + " path (for instance the model's jar, under src/main/resources/" + path + ")");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read parameter resource " + path + " for " + type.getName()
                    + ": " + e, e);
        }
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("parameter resource " + path + " for " + type.getName() + " holds "
                    + bytes.length + " bytes, not a whole number of little-endian float32 values");
        }
        float[] parameters = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(parameters);
        Method of;
        try {
            of = weightsType.getMethod("of", float[].class);
        } catch (NoSuchMethodException e) {
            throw notGenerated(type, "no Weights.of(float[])");
        }
        return invoke(of, type, "parameter resource " + path + " for " + type.getName(), (Object) parameters);
    }

    private static Object invoke(Method method, Class<?> type, String what, Object... arguments) {
        try {
            return method.invoke(null, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException) {
                throw new IllegalArgumentException(what + ": " + cause.getMessage(), cause);
            }
            throw new IllegalStateException(what + " failed: " + cause, cause);
        } catch (IllegalAccessException e) {
            throw notGenerated(type, e.toString());
        }
    }
}
