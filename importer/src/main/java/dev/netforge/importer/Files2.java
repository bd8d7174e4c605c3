package dev.netforge.importer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** File helpers shared by the readers. */
final class Files2 {
    private Files2() {
    }

    /** All bytes of {@code file}; files too large for one array are a {@link WeightFormatException}. */
    static byte[] readAll(Path file) throws IOException {
        String name = String.valueOf(file.getFileName());
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new WeightFormatException(name, "too large to import (" + size + " bytes)");
        }
        return Files.readAllBytes(file);
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
