package dev.netforge.importer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Command line: {@code Scaffold [--allow-unsupported] <model file> [ClassName]} prints the Java
 * source of an annotated NetForge class declaring the model in a Keras ({@code .h5},
 * {@code .keras}) or ONNX file. The class name defaults to the file name in upper camel case
 * ({@code fashion_mnist.onnx} gives {@code FashionMnist}).
 *
 * <p>Exit status 0 with the class on standard output; 1 with a message on standard error when the
 * file cannot be read, or when it holds layers NetForge cannot declare exactly (every one listed
 * with its type, name and the reason; nothing on standard output). {@code --allow-unsupported}
 * prints the class anyway, such layers as {@code // unsupported:} comments to edit by hand; 2 for
 * a usage error.
 */
public final class Scaffold {
    private Scaffold() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command without {@code System.exit}: returns the exit status. */
    static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
        java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(args));
        boolean allowUnsupported = rest.remove("--allow-unsupported");
        if (rest.size() < 1 || rest.size() > 2 || rest.get(0).startsWith("-")) {
            err.println("usage: Scaffold [--allow-unsupported] <model.h5|model.keras|model.onnx> [ClassName]");
            return 2;
        }
        Path file = Path.of(rest.get(0));
        String className = rest.size() > 1 ? rest.get(1) : defaultClassName(file);
        try {
            out.print(ModelScaffold.javaSource(Importer.read(file), className, allowUnsupported));
            return 0;
        } catch (IOException e) {
            err.println("cannot import " + rest.get(0) + ": " + e.getMessage());
            return 1;
        } catch (ModelScaffold.UnsupportedLayersException e) {
            err.println("cannot scaffold " + rest.get(0) + ": " + e.getMessage());
            err.println("(--allow-unsupported writes the class with these layers as comments, to edit by hand)");
            return 1;
        }
    }

    static String defaultClassName(Path file) {
        String name = String.valueOf(file.getFileName());
        int dot = name.indexOf('.');
        return ModelScaffold.className(dot > 0 ? name.substring(0, dot) : name);
    }
}
