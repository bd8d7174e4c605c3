package dev.netforge.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The same model source generates byte-identical Java source in every compilation: compiled alone,
 * in a batch with other models, in the reverse batch order, and again. Nothing in the output depends
 * on the time, the machine, the order models are processed in or hash iteration order.
 *
 * <p>For a cross-JDK check, {@code -Dnetforge.reproducible.dump=DIR} writes every generated source
 * to {@code DIR}; run once per JDK and {@code diff -r} the two directories.
 */
class ReproducibleOutputTest {
    static final long SEED = 0xC0FFEEL;
    static final int MODELS = 30;
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}|\\d{2}:\\d{2}:\\d{2}|date\\s*=");

    @Test
    void sameSourceSameOutput() throws IOException {
        List<FuzzCase> models = acceptedModels();
        Map<String, String> batch = FuzzRunner.compile(models.stream().map(FuzzRunner::source).toList()).written();
        List<FuzzCase> reversed = new ArrayList<>(models);
        Collections.reverse(reversed);
        Map<String, String> reverseBatch = FuzzRunner.compile(reversed.stream().map(FuzzRunner::source).toList())
                .written();
        String dump = System.getProperty("netforge.reproducible.dump");
        for (FuzzCase model : models) {
            String name = model.qualifiedName() + "Forward";
            String first = batch.get(name);
            assertNotNull(first, "no source generated for " + name + ":\n" + model.source());
            for (int round = 0; round < 2; round++) {
                String alone = FuzzRunner.compile(List.of(FuzzRunner.source(model))).written().get(name);
                assertArrayEquals(first.getBytes(StandardCharsets.UTF_8), alone.getBytes(StandardCharsets.UTF_8),
                        name + " differs when compiled alone (round " + round + "):\n" + model.source());
            }
            assertEquals(first, reverseBatch.get(name), name + " differs in the reversed batch");
            assertFalse(TIMESTAMP.matcher(first).find(), name + " contains something like a date or time");
            if (dump != null) {
                Path dir = Path.of(dump);
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(model.className() + "Forward.java"), first, StandardCharsets.UTF_8);
                Files.writeString(dir.resolve(model.className() + ".java"), model.source(), StandardCharsets.UTF_8);
            }
        }
    }

    /** Varied valid models from the fuzz generator, BatchNormalization epsilons included. */
    static List<FuzzCase> acceptedModels() {
        FuzzGenerator generator = new FuzzGenerator(SEED);
        List<FuzzCase> models = new ArrayList<>();
        for (int i = 0; models.size() < MODELS; i++) {
            FuzzCase c = generator.next("Repro" + i);
            if (Oracle.expect(c).valid() && Oracle.expect(c).flattenWarnings() == 0) {
                models.add(c);
            }
        }
        return models;
    }
}
