package dev.netforge.processor.model;

/** What a merging layer computes from its inputs, with the annotation and the Keras class it stands for. */
public enum MergeOp {
    ADD("Add"),
    SUBTRACT("Subtract"),
    MULTIPLY("Multiply"),
    AVERAGE("Average"),
    MAXIMUM("Maximum"),
    MINIMUM("Minimum"),
    CONCATENATE("Concatenate");

    private final String kerasName;

    MergeOp(String kerasName) {
        this.kerasName = kerasName;
    }

    /** The annotation's simple name, which is also the Keras class name. */
    public String kerasName() {
        return kerasName;
    }

    /** The smallest and largest number of inputs (Subtract takes exactly two). */
    public int minInputs() {
        return 2;
    }

    public int maxInputs() {
        return this == SUBTRACT ? 2 : Integer.MAX_VALUE;
    }

    /** The op of a merging annotation's simple name, or null for any other annotation. */
    public static MergeOp ofAnnotation(String simpleName) {
        for (MergeOp op : values()) {
            if (op.kerasName.equals(simpleName)) {
                return op;
            }
        }
        return null;
    }
}
