package dev.netforge.processor.reading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netforge.Model;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Target;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The annotation names are the one registry the compiler cannot check (a new kind's records and
 * visitors are): every field annotation of {@code dev.netforge} except {@code @From} is a layer the
 * processor reads, and nothing else is.
 */
class LayerAnnotationsTest {
    @Test
    void everyFieldAnnotationOfTheRuntimeIsALayerTheProcessorReads() throws IOException, URISyntaxException,
            ClassNotFoundException {
        Path location = Path.of(Model.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> fieldAnnotations = new TreeSet<>();
        try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location, Map.of())) {
            Path root = jar == null ? location : jar.getPath("/");
            try (Stream<Path> files = Files.list(root.resolve("dev/netforge"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String simple = file.getFileName().toString().replace(".class", "");
                    Class<?> type = Class.forName("dev.netforge." + simple);
                    Target target = type.getAnnotation(Target.class);
                    if (type.isAnnotation() && target != null
                            && Arrays.asList(target.value()).contains(ElementType.FIELD)) {
                        fieldAnnotations.add(type.getName());
                    }
                }
            }
        }
        fieldAnnotations.remove(ModelReader.FROM);
        assertTrue(fieldAnnotations.size() >= 24, "found " + fieldAnnotations);
        assertEquals(fieldAnnotations, new TreeSet<>(ModelReader.LAYER_ANNOTATIONS));
    }
}
