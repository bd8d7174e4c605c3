package dev.netforge.importer;

import java.io.IOException;

/**
 * A weight or model file that cannot be imported: truncated, corrupt, of another format, or
 * describing something the importer cannot represent exactly.
 *
 * <p>It extends {@link IOException} on purpose: it is a property of the input file, not a
 * programming error, so callers that read files already handle it, and the compiler makes sure
 * that callers of the readers do. The message always starts with the file's name and says what
 * is wrong, e.g. {@code "mnist.h5: truncated: the HDF5 superblock declares 454376 bytes but the
 * file has 1000"}.
 */
public class WeightFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;

    public WeightFormatException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public WeightFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The name of the file (as given to the reader) that could not be imported. */
    public String file() {
        return file;
    }
}
