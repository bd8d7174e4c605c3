package dev.netforge.importer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Command line: {@code Scaffold <model file> [ClassName]} prints the Java source of an annotated
 * NetForge class declaring the model in a Keras ({@code .h5}, {@code .keras}) or ONNX file. The
 * class name defaults to the file name in upper camel case ({@code fashion_mnist.onnx} gives
 * {@code FashionMnist}). Exit status 1 with a message on standard error when the file cannot be read.
 */
public final class Scaffold {
    private Scaffold() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Scaffold <model.h5|model.keras|model.onnx> [ClassName]");
            System.exit(2);
            return;
        }
        Path file = Path.of(args[0]);
        String className = args.length > 1 ? args[1] : defaultClassName(file);
        try {
            System.out.print(ModelScaffold.javaSource(Importer.read(file), className));
        } catch (IOException e) {
            System.err.println("cannot import " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    static String defaultClassName(Path file) {
        String name = String.valueOf(file.getFileName());
        int dot = name.indexOf('.');
        return ModelScaffold.className(dot > 0 ? name.substring(0, dot) : name);
    }
}
