package dev.netforge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The records a bundle keeps of its files: checked where the files exist, damage reported. */
class StaleWeightsCheckTest {
    @TempDir
    Path temp;

    private static byte[] records(String path, long size, byte[] sha256) throws IOException {
        return records(path, size, -1, sha256);
    }

    private static byte[] records(String path, long size, long modified, byte[] sha256) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(bytes);
        data.writeInt(1);
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        data.writeInt(p.length);
        data.write(p);
        data.writeLong(size);
        data.writeLong(modified);
        data.write(sha256);
        return bytes.toByteArray();
    }

    private static void check(byte[] records) {
        StaleWeightsCheck.check(ByteBuffer.wrap(records), records.length, "NetForward", "Net.java");
    }

    @Test
    void anUnchangedFileAnAbsentFileAndAnUnknownPathPass() throws Exception {
        Path file = Files.write(temp.resolve("net.onnx"), new byte[] {1, 2, 3});
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        check(records(file.toString(), 3, sha));
        check(records(temp.resolve("absent.onnx").toString(), 3, sha));
        check(records("", 3, sha));
        check(records(temp.toString(), 3, sha)); // a directory is not the file
    }

    @Test
    void aChangedFileOfTheSameSizeIsStale() throws Exception {
        Path file = Files.write(temp.resolve("net.onnx"), new byte[] {1, 2, 3});
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        Files.write(file, new byte[] {1, 2, 4});
        String now = StaleWeightsCheck.hex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> check(records(file.toString(), 3, sha)));
        assertEquals(file + " changed after NetForward was compiled (SHA-256 " + StaleWeightsCheck.hex(sha)
                .substring(0, 12) + "... then, " + now.substring(0, 12) + "... now): the bundled weights are stale;"
                + " recompile the model (mvn clean compile, or touch Net.java)", e.getMessage());
    }

    /**
     * A file of the recorded size and last-modified time is not hashed (a wrong recorded hash passes);
     * one whose time differs is hashed: unchanged content passes, changed content is stale.
     */
    @Test
    void aFileOfTheRecordedSizeAndTimeIsNotHashedAnotherTimeIsHashed() throws Exception {
        Path file = Files.write(temp.resolve("net.onnx"), new byte[] {1, 2, 3});
        FileTime compiled = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(file, compiled);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        byte[] wrong = new byte[32];
        check(records(file.toString(), 3, compiled.toMillis(), wrong));
        Files.setLastModifiedTime(file, FileTime.fromMillis(compiled.toMillis() + 1));
        check(records(file.toString(), 3, compiled.toMillis(), sha)); // touched, same content
        assertThrows(IllegalStateException.class, () -> check(records(file.toString(), 3, compiled.toMillis(), wrong)));
        Files.write(file, new byte[] {1, 2, 4});
        Files.setLastModifiedTime(file, FileTime.fromMillis(compiled.toMillis() + 2));
        assertThrows(IllegalStateException.class, () -> check(records(file.toString(), 3, compiled.toMillis(), sha)));
    }

    @Test
    void damagedRecordsAreReported() throws Exception {
        byte[] good = records("/x", 3, new byte[32]);
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> check(cut));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        ByteBuffer longer = ByteBuffer.allocate(good.length + 4).put(good);
        assertThrows(IllegalStateException.class, () -> StaleWeightsCheck.read(longer.flip(), good.length + 4));
    }
}
