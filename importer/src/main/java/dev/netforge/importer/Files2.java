package dev.netforge.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** File helpers shared by the readers. */
final class Files2 {
    private Files2() {
    }

    /**
     * The most bytes one model file (or one extracted archive entry) may have: a Java array's limit,
     * and at most a quarter of the heap, since a read holds the file, its parsed structure and the
     * weights as floats at once. A larger file is refused up front instead of ending in an
     * {@link OutOfMemoryError}.
     */
    static long sizeLimit() {
        return Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * All bytes of {@code file}, which must be a regular file (or a symbolic link to one): a named
     * pipe would block the read forever, and a device such as {@code /dev/zero} or a directory is
     * no model. The type is checked before the file is opened, and exactly the size seen then is
     * read: a file that changes size meanwhile is refused. Files too large for this JVM are a
     * {@link WeightFormatException}.
     */
    static byte[] readAll(Path file) throws IOException {
        String name = String.valueOf(file.getFileName());
        Path real;
        BasicFileAttributes attrs;
        try {
            real = file.toRealPath(); // resolves symbolic links; what they point to is checked below
            attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (!attrs.isRegularFile()) {
            throw new WeightFormatException(name, "not a regular file but "
                    + (attrs.isDirectory() ? "a directory" : "a device, named pipe or socket")
                    + (real.equals(file.toAbsolutePath()) ? "" : " (" + real + ")"));
        }
        long size = attrs.size();
        if (size > sizeLimit()) {
            throw new WeightFormatException(name, "too large to import (" + size + " bytes; this JVM takes at most "
                    + sizeLimit() + ")");
        }
        byte[] bytes = new byte[(int) size];
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try (SeekableByteChannel ch = Files.newByteChannel(real)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) {
                    throw new WeightFormatException(name, "shrank while being read (" + buf.position() + " of "
                            + size + " bytes)");
                }
            }
            if (ch.read(ByteBuffer.allocate(1)) > 0) {
                throw new WeightFormatException(name, "grew while being read (beyond " + size + " bytes)");
            }
        }
        return bytes;
    }

    /** The first bytes of a file, in hex, for messages about unrecognised formats. */
    static String hexStart(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            sb.append(String.format("%02x ", b[i] & 0xff));
        }
        return sb.toString().trim() + (b.length > 8 ? " ..." : "");
    }
}
