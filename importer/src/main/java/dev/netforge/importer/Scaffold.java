package dev.netforge.importer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The scaffold command: writes the Java source of an annotated NetForge class declaring the model in
 * a Keras ({@code .h5}, {@code .keras}) or ONNX file. Run from the executable jar
 * ({@code importer/target/netforge-import.jar}, built by {@code mvn package}):
 *
 * <pre>
 * java -jar netforge-import.jar scaffold model.h5 --package com.acme --class Net --out src/main/java
 * </pre>
 *
 * writes {@code src/main/java/com/acme/Net.java} (a {@code package} line, and
 * {@code @Model(..., weights = "model.h5")}) and copies {@code model.h5} to
 * {@code src/main/resources/com/acme/}, where the processor reads it at compile time: the class
 * compiles unchanged. Options:
 * <ul>
 * <li>{@code --package P}: the class's package (default: the unnamed package);</li>
 * <li>{@code --class C}: its name (default: the file name in upper camel case,
 *     {@code fashion_mnist.onnx} gives {@code FashionMnist});</li>
 * <li>{@code --out DIR}: the source root to write into (default: print the class on standard output);</li>
 * <li>{@code --resources DIR}: the resource root the model file is copied into (default: the
 *     {@code src/main/resources} beside an {@code --out} that ends in {@code src/main/java}; else
 *     the file is not copied, and standard error says where it must go);</li>
 * <li>{@code --no-weights}: no {@code weights =} (pass the parameter vector at run time instead);</li>
 * <li>{@code --allow-unsupported}: write the class even if some layers cannot be declared, as
 *     {@code // unsupported:} comments to edit by hand (then without {@code weights =}, which would
 *     not compile until they are declared);</li>
 * <li>{@code --force}: overwrite an existing class file.</li>
 * </ul>
 *
 * <p>The older form {@code Scaffold [--allow-unsupported] <model file> [ClassName]} prints the class
 * without a package or {@code weights =}, as before.
 *
 * <p>Exit status 0 on success; 1 when the file cannot be read, holds layers NetForge cannot declare
 * exactly (every one listed with its type, name and the reason; nothing written), or the output
 * cannot be written; 2 for a usage error. Messages go to standard error, plain text (no colours).
 */
public final class Scaffold {
    static final String USAGE = String.join("\n",
            "usage: java -jar netforge-import.jar scaffold <model.h5|model.keras|model.onnx> [options]",
            "  --package P          the class's package (default: none)",
            "  --class C            the class name (default: from the file name)",
            "  --out DIR            write DIR/<package path>/C.java (default: print the class)",
            "  --resources DIR      copy the model file to DIR/<package path>/ (default: src/main/resources",
            "                       beside an --out ending in src/main/java)",
            "  --no-weights         no weights = \"...\" in @Model",
            "  --allow-unsupported  write layers NetForge cannot declare as comments, to edit by hand",
            "  --force              overwrite an existing class file",
            "   or: Scaffold [--allow-unsupported] <model file> [ClassName]   (prints the class, no package)");

    private static final Set<String> FLAGS = Set.of("--no-weights", "--allow-unsupported", "--force");
    private static final Set<String> VALUED = Set.of("--package", "--class", "--out", "--resources");

    private Scaffold() {
    }

    /**
     * The command's entry point; exits with the status of {@link #run}.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * The command without {@code System.exit}.
     *
     * @param args the command line, as {@link #main}
     * @param out where the class goes when there is no {@code --out}
     * @param err where messages go
     * @return the exit status: 0, 1 (cannot import, unsupported layers, cannot write) or 2 (usage)
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            out.println(USAGE);
            return 0;
        }
        if (args.length > 0 && args[0].equals("scaffold")) {
            return scaffold(List.of(args).subList(1, args.length), out, err);
        }
        List<String> rest = new ArrayList<>(List.of(args));
        boolean allowUnsupported = rest.remove("--allow-unsupported");
        if (rest.size() < 1 || rest.size() > 2 || rest.get(0).startsWith("-")) {
            err.println(USAGE);
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
            return refused(rest.get(0), e, err);
        }
    }

    /** {@code scaffold <file> [options]}. */
    private static int scaffold(List<String> args, PrintStream out, PrintStream err) {
        String model = null;
        String packageName = "";
        String className = null;
        Path outDir = null;
        Path resources = null;
        Set<String> flags = new java.util.HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (FLAGS.contains(a)) {
                flags.add(a);
            } else if (VALUED.contains(a)) {
                if (i + 1 == args.size() || args.get(i + 1).startsWith("--")) {
                    return usage(err, a + " needs a value");
                }
                String v = args.get(++i);
                switch (a) {
                    case "--package" -> packageName = v;
                    case "--class" -> className = v;
                    case "--out" -> outDir = Path.of(v);
                    default -> resources = Path.of(v);
                }
            } else if (a.startsWith("-")) {
                return usage(err, "unknown option " + a);
            } else if (model == null) {
                model = a;
            } else {
                return usage(err, "one model file, not " + model + " and " + a);
            }
        }
        if (model == null) {
            return usage(err, "no model file");
        }
        if (!packageName.isEmpty() && !javax.lang.model.SourceVersion.isName(packageName)) {
            return usage(err, "--package " + packageName + " is not a Java package name");
        }
        Path file = Path.of(model);
        if (className == null) {
            className = defaultClassName(file);
        } else if (!javax.lang.model.SourceVersion.isIdentifier(className)
                || javax.lang.model.SourceVersion.isKeyword(className)) {
            return usage(err, "--class " + className + " is not a Java class name");
        }
        String weightsName = String.valueOf(file.getFileName());
        boolean weights = !flags.contains("--no-weights");
        if (resources == null && outDir != null && outDir.normalize().endsWith(Path.of("src", "main", "java"))) {
            resources = outDir.normalize().resolveSibling("resources");
        }
        String source;
        boolean complete;
        try {
            ImportedModel imported = Importer.read(file);
            complete = ModelScaffold.unsupportedLayers(imported).isEmpty();
            source = ModelScaffold.javaSource(imported, className, flags.contains("--allow-unsupported"),
                    packageName, weights ? weightsName : null);
        } catch (IOException e) {
            err.println("cannot import " + model + ": " + e.getMessage());
            return 1;
        } catch (ModelScaffold.UnsupportedLayersException e) {
            return refused(model, e, err);
        }
        Path packageDir = Path.of(packageName.isEmpty() ? "" : packageName.replace('.', '/'));
        if (outDir == null) {
            out.print(source);
        } else {
            Path target = outDir.resolve(packageDir).resolve(className + ".java");
            try {
                Files.createDirectories(target.getParent());
                if (flags.contains("--force")) {
                    Files.writeString(target, source, StandardCharsets.UTF_8);
                } else {
                    Files.writeString(target, source, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                            java.nio.file.StandardOpenOption.WRITE);
                }
            } catch (FileAlreadyExistsException e) {
                err.println(target + " exists; --force overwrites it");
                return 1;
            } catch (IOException e) {
                err.println("cannot write " + target + ": " + e);
                return 1;
            }
            err.println("wrote " + target);
        }
        if (!weights) {
            return 0;
        }
        if (!complete) {
            err.println("no weights = \"" + weightsName + "\": declare the unsupported layers first, then add it");
            return 0;
        }
        if (resources == null) {
            err.println("put " + weightsName + " in src/main/resources/" + (packageName.isEmpty() ? ""
                    : packageDir.toString().replace('\\', '/') + "/") + " (the processor reads it from there)");
            return 0;
        }
        Path copy = resources.resolve(packageDir).resolve(weightsName);
        try {
            if (!Files.isSameFile(file.toAbsolutePath().getParent(), Files.createDirectories(copy.getParent()))) {
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                err.println("copied " + model + " to " + copy);
            }
        } catch (IOException e) {
            err.println("cannot copy " + model + " to " + copy + ": " + e);
            return 1;
        }
        return 0;
    }

    private static int refused(String model, ModelScaffold.UnsupportedLayersException e, PrintStream err) {
        err.println("cannot scaffold " + model + ": " + e.getMessage());
        err.println("(--allow-unsupported writes the class with these layers as comments, to edit by hand)");
        return 1;
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.println(USAGE);
        return 2;
    }

    static String defaultClassName(Path file) {
        String name = String.valueOf(file.getFileName());
        int dot = name.indexOf('.');
        return ModelScaffold.className(dot > 0 ? name.substring(0, dot) : name);
    }
}
