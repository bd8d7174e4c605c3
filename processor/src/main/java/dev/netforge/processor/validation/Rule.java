package dev.netforge.processor.validation;

/**
 * Every rule a model can break, one constant each, so a message always names its rule
 * ({@code [netforge.window-larger-than-input]}) and tests can match it.
 */
public enum Rule {
    MODEL_INPUT("model-input"),
    NO_LAYERS("no-layers"),
    TOO_MANY_LAYERS("too-many-layers"),
    NOT_POSITIVE("not-positive"),
    ARRAY_LENGTH("array-length"),
    WINDOW_LARGER_THAN_INPUT("window-larger-than-input"),
    STRIDES_WITH_DILATION("strides-with-dilation"),
    OUT_OF_RANGE("out-of-range"),
    NEEDS_IMAGE("needs-image"),
    NEEDS_VECTOR("needs-vector"),
    FLATTEN_OF_VECTOR("flatten-of-vector"),
    TOO_LARGE("too-large"),
    ONE_LAYER_PER_FIELD("one-layer-per-field"),
    LAYER_FIELD("layer-field"),
    MODEL_CLASS("model-class"),
    NAME_CLASH("name-clash"),
    WEIGHTS_MISMATCH("weights"),
    FROM("from"),
    MERGE_SHAPES("merge-shapes"),
    UNUSED_LAYER("unused-layer"),
    RESHAPE_SIZE("reshape-size"),
    BAD_OPTION("bad-option"),
    INTERNAL_ERROR("internal-error");

    private final String id;

    Rule(String id) {
        this.id = "netforge." + id;
    }

    public String id() {
        return id;
    }
}
