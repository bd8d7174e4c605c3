package dev.netforge.importer;

import java.io.IOException;
import java.nio.file.Path;

/** Reads any supported model file, recognising the format by content rather than by extension. */
public final class Importer {
    private Importer() {
    }

    /**
     * Reads a Keras {@code .h5} (HDF5), Keras {@code .keras} (zip) or ONNX file. Files that are
     * neither HDF5 nor zip are read as ONNX, whose reader says clearly when they are not ONNX either.
     */
    public static ImportedModel read(Path file) throws IOException {
        return read(Files2.readAll(file), String.valueOf(file.getFileName()));
    }

    /** As {@link #read(Path)}, from the bytes of a file named {@code fileName}. */
    public static ImportedModel read(byte[] bytes, String fileName) throws WeightFormatException {
        if (Hdf5.signatureOffset(bytes) >= 0 || ZipArchive.looksLikeZip(bytes)) {
            return KerasReader.read(bytes, fileName);
        }
        return OnnxReader.read(bytes, fileName);
    }
}
