package dev.netforge.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tells generated code, when it loads weights bundled at compile time, that the files they were
 * read from have changed since: a build tool's incremental compile looks only at {@code .java}
 * sources, so a replaced weights or golden file would otherwise keep the old bundle silently.
 *
 * <p>The bundle records, for each file the processor read, where it read it from (an absolute path,
 * or nothing when the compiler did not give a file), its size, its last-modified time and its SHA-256.
 * A recorded file that exists on this machine (a developer's or CI's) must still have that size and
 * hash; a file that does not exist (a production machine) is not checked, and is never hashed. The
 * size is compared first: a file of another size is stale (and hashed only to name its new hash in the
 * message); one of the same size and the same last-modified time, to the millisecond, is taken as
 * unchanged, as {@code make} and {@code rsync} take it (hashing a 1 MB file in a JVM that has just
 * started, with the digest's providers to load, cost 30-40 ms of every model's first load on such a
 * machine); any other is hashed and compared. The system property {@code netforge.staleCheck=false}
 * skips the check.
 *
 * <p>The records' format (big-endian, inside the CRC-checked bundle): a count, then for each file
 * the length of its UTF-8 path (0 when unknown) and the path, its size (a long), its last-modified
 * time in milliseconds since the epoch (a long, -1 when unknown) and its 32-byte SHA-256.
 */
public final class StaleWeightsCheck {
    /** The system property that, set to {@code false}, skips the check. */
    public static final String PROPERTY = "netforge.staleCheck";

    private static final int SHA256_BYTES = 32;

    private StaleWeightsCheck() {
    }

    /**
     * One file the bundle was made from: its absolute path ("" when unknown), size, last-modified time
     * (milliseconds since the epoch, -1 when unknown) and SHA-256.
     */
    public record Source(String path, long size, long modified, byte[] sha256) {
        public Source {
            sha256 = sha256.clone();
        }

        @Override
        public byte[] sha256() {
            return sha256.clone();
        }
    }

    /**
     * Reads the records at the buffer's position and throws if a recorded file that exists here has
     * changed; does nothing, and reads nothing, when {@code -Dnetforge.staleCheck=false}.
     *
     * @param buffer       the bundle, positioned at the records
     * @param end          where the records must end (the CRC's position)
     * @param forwardClass the generated class's simple name, for the message
     * @param modelSource  the model's source file name ({@code Net.java}), for the message
     * @throws IllegalStateException naming the first changed file, or if the records are damaged
     */
    public static void check(ByteBuffer buffer, int end, String forwardClass, String modelSource) {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim())) {
            return;
        }
        for (Source source : read(buffer, end)) {
            String changed = changed(source);
            if (changed != null) {
                throw new IllegalStateException(source.path() + " changed after " + forwardClass + " was compiled"
                        + " (SHA-256 " + hex(source.sha256).substring(0, 12) + "... then, " + changed + " now): the"
                        + " bundled weights are stale; recompile the model (mvn clean compile, or touch "
                        + modelSource + ")");
            }
        }
    }

    /**
     * The records at the buffer's position, which must end exactly at {@code end}.
     *
     * @throws IllegalStateException if they are damaged
     */
    public static List<Source> read(ByteBuffer buffer, int end) {
        try {
            int count = buffer.getInt();
            if (count < 0 || count > (end - buffer.position()) / (4 + 8 + 8 + SHA256_BYTES)) {
                throw damaged();
            }
            List<Source> sources = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int length = buffer.getInt();
                if (length < 0 || length > end - buffer.position()) {
                    throw damaged();
                }
                byte[] path = new byte[length];
                buffer.get(path);
                long size = buffer.getLong();
                long modified = buffer.getLong();
                byte[] sha256 = new byte[SHA256_BYTES];
                buffer.get(sha256);
                sources.add(new Source(new String(path, StandardCharsets.UTF_8), size, modified, sha256));
            }
            if (buffer.position() != end) {
                throw damaged();
            }
            return sources;
        } catch (BufferUnderflowException e) {
            throw damaged();
        }
    }

    /** Null when the file is absent here or unchanged, else the first 12 hex digits of its hash now + "...". */
    private static String changed(Source source) {
        if (source.path().isEmpty()) {
            return null;
        }
        Path file;
        long size;
        long modified;
        try {
            file = Path.of(source.path());
            if (!Files.isRegularFile(file)) {
                return null; // not on this machine: nothing to compare with
            }
            size = Files.size(file);
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (InvalidPathException | IOException | SecurityException e) {
            return null;
        }
        boolean sameSize = size == source.size();
        if (sameSize && source.modified() >= 0 && modified == source.modified()) {
            return null; // untouched since it was compiled
        }
        byte[] now;
        try {
            now = sha256(file); // when the size differs, only for the message
        } catch (IOException | SecurityException e) {
            // it exists but cannot be read: stale only if its size says so
            return sameSize ? null : "unreadable";
        }
        if (sameSize && Arrays.equals(now, source.sha256)) {
            return null;
        }
        return hex(now).substring(0, 12) + "...";
    }

    private static byte[] sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        byte[] chunk = new byte[65536];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                digest.update(chunk, 0, n);
            }
        }
        return digest.digest();
    }

    /** Lower-case hex. */
    public static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            text.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return text.toString();
    }

    private static IllegalStateException damaged() {
        return new IllegalStateException("bundled weights: the records of the files they were made from are damaged;"
                + " rebuild");
    }
}
