package dev.netforge.processor.validation;

import dev.netforge.shapes.KerasShapes;
import dev.netforge.Padding;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Sizes;
import dev.netforge.processor.model.Window;
import java.util.List;
import java.util.Locale;

/**
 * What a layer kind's check sees of the validator, for one layer: its input shape (null when not
 * known) and rank, where problems go (placed on the layer and an attribute), the trail of shapes
 * that led here, and the checks every kind shares (one-or-two values, positive values, an image
 * input, Keras's window arithmetic, sizes that fit a Java array).
 */
public final class LayerCheck {
    /** The largest array HotSpot allocates; larger sizes cannot be a {@code float[]}. */
    public static final long MAX_ARRAY_LENGTH = NetworkValidator.MAX_ARRAY_LENGTH;

    private final NetworkValidator validator;
    private final int index;
    private final Shape input;
    private final int rank;
    private final ShapeTrail trail;
    private final List<Input> inputs;

    LayerCheck(NetworkValidator validator, int index, Shape input, int rank, ShapeTrail trail, List<Input> inputs) {
        this.validator = validator;
        this.index = index;
        this.input = input;
        this.rank = rank;
        this.trail = trail;
        this.inputs = List.copyOf(inputs);
    }

    /**
     * One input of a layer with several ({@code @From} of a merge): the producer's name ({@code input}
     * for the model's), its shape (null when not known) and the text of how it got that shape.
     */
    public record Input(String name, Shape shape, String trail) {
    }

    /** Every input, in {@code @From} order (one for most layers; a merge's check reads them all). */
    public List<Input> inputs() {
        return inputs;
    }

    /** The layer's (first) input, or null when it is not known (only its rank may be). */
    public Shape input() {
        return input;
    }

    /** 1 for a vector, 3 for an image, 0 when not known. */
    public int rank() {
        return rank;
    }

    /** Reports an error on the layer's {@code attribute} (null: on the annotation). */
    public void error(Rule rule, String attribute, String message) {
        validator.error(rule, index, attribute, message);
    }

    public void warning(Rule rule, String attribute, String message) {
        validator.warning(rule, index, attribute, message);
    }

    /** The text that says how the input got its shape, ending with this layer's {@code output} (or none). */
    public String through(String name, Shape output) {
        return trail.through(name, output);
    }

    /** {@code 1,234,567}. */
    public static String format(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** {@code {1, 2}}. */
    public static String braces(int[] values) {
        return ShapeTrail.braces(values);
    }

    /**
     * What every convolution checks the same way: kernel, strides and dilation each one or two
     * positive values, not both strided and dilated, an image input, a window that fits, and a padded
     * input that fits an array. Returns the window, or null once something was reported (or
     * {@code attributesOk} is false, or the input is unknown).
     */
    public Window convolutionWindow(LayerDeclaration conv, int[] kernelValues, int[] stridesValues,
                                     int[] dilationValues, Padding padding, Shape in, int rank, boolean attributesOk) {
        int[] kernel = pair(conv.name(), "kernel", kernelValues, false);
        int[] strides = pair(conv.name(), "strides", stridesValues, false);
        int[] dilation = pair(conv.name(), "dilation", dilationValues, false);
        boolean ok = attributesOk && kernel != null && strides != null && dilation != null;
        ok &= ok && stridesWithDilation(conv.name(), strides, dilation);
        ok &= needsImage(conv, in, rank);
        if (!ok || in == null) {
            return null;
        }
        Window window = window(conv.name(), "kernel", "kernel", kernel, strides, dilation, padding, in);
        return window != null && paddedFits(conv.name(), in, window) ? window : null;
    }

    /** Keras rejects strides and dilation both above 1 ("not supported"), so do we, with the reason. */
    public boolean stridesWithDilation(String name, int[] strides, int[] dilation) {
        boolean strided = strides[0] > 1 || strides[1] > 1;
        boolean dilated = dilation[0] > 1 || dilation[1] > 1;
        if (strided && dilated) {
            error(Rule.STRIDES_WITH_DILATION, "dilation", name + ": strides " + ShapeTrail.braces(strides)
                    + " and dilation " + ShapeTrail.braces(dilation) + " cannot both exceed 1 (Keras rejects it too);"
                    + " use strides = 1 with a dilation, or dilation = 1 with strides");
            return false;
        }
        return true;
    }

    /** Conv2D and pooling slide over an image; on a vector they are an error that says how it got there. */
    public boolean needsImage(LayerDeclaration layer, Shape in, int rank) {
        if (rank != 1) {
            return true;
        }
        error(Rule.NEEDS_IMAGE, null, layer.name() + ": " + layer.annotationName()
                + " needs an image H x W x C input, found a vector"
                + (in == null ? "" : " of " + format(in.size()))
                + "; move it before @Flatten/@Dense, or declare @Model(input = {H, W, C})"
                + trail.through(layer.name(), null));
        return false;
    }

    /**
     * Resolves the window along both axes with Keras's formulas: 'valid' needs the (dilated) window
     * to fit, reported with the numbers; 'same' pads with TensorFlow's split (extra at bottom/right).
     */
    public Window window(String name, String attribute, String what, int[] size, int[] strides,
                          int[] dilation, Padding padding, Shape in) {
        int kh = size[0], kw = size[1], sh = strides[0], sw = strides[1], dh = dilation[0], dw = dilation[1];
        long spanH = KerasShapes.span(kh, dh), spanW = KerasShapes.span(kw, dw);
        if (padding == Padding.VALID) {
            boolean tallEnough = KerasShapes.validFits(in.height(), kh, dh);
            boolean wideEnough = KerasShapes.validFits(in.width(), kw, dw);
            if (!tallEnough || !wideEnough) {
                boolean dilated = dh != 1 || dw != 1;
                String window = kh + "x" + kw + (dilated ? " with dilation " + dh + "x" + dw + " spans " + spanH
                        + "x" + spanW + " and" : "");
                StringBuilder numbers = new StringBuilder();
                if (!tallEnough) {
                    numbers.append("height ").append(in.height()).append(" < ").append(spanH);
                }
                if (!wideEnough) {
                    numbers.append(numbers.length() > 0 ? ", " : "").append("width ")
                            .append(in.width()).append(" < ").append(spanW);
                }
                String smaller = dilated ? "a smaller kernel or dilation" : "a " + what + " of at most "
                        + Math.min(kh, in.height()) + "x" + Math.min(kw, in.width());
                error(Rule.WINDOW_LARGER_THAN_INPUT, attribute, name + ": " + what + " " + window
                        + " is larger than its input " + in + "; valid padding needs input >= " + what + ": "
                        + numbers + ". Fix: padding = Padding.SAME, or " + smaller + trail.through(name, null));
                return null;
            }
            return new Window(kh, kw, sh, sw, dh, dw, 0, 0, 0, 0);
        }
        long padH = KerasShapes.samePadding(in.height(), kh, sh, dh);
        long padW = KerasShapes.samePadding(in.width(), kw, sw, dw);
        if (padH > Integer.MAX_VALUE || padW > Integer.MAX_VALUE) {
            error(Rule.TOO_LARGE, attribute, name + ": 'same' padding of " + format(padH) + " x "
                    + format(padW) + " for " + what + " " + kh + "x" + kw + " does not fit a Java array"
                    + trail.through(name, null));
            return null;
        }
        long top = KerasShapes.before(padH), left = KerasShapes.before(padW);
        return new Window(kh, kw, sh, sw, dh, dw, (int) top, (int) (padH - top), (int) left, (int) (padW - left));
    }

    /** A padded convolution copies its input into a padded array first: that array must fit too. */
    public boolean paddedFits(String name, Shape in, Window window) {
        long padded = Sizes.product((long) in.height() + window.padTop() + window.padBottom(),
                (long) in.width() + window.padLeft() + window.padRight(), in.channels());
        if (padded > MAX_ARRAY_LENGTH) {
            error(Rule.TOO_LARGE, "kernel", name + ": 'same' padding for kernel " + window.height()
                    + "x" + window.width() + " makes the padded input " + format(padded)
                    + " values, more than a Java array holds: " + format(padded) + " > "
                    + format(MAX_ARRAY_LENGTH) + "; use a smaller kernel" + trail.through(name, null));
            return false;
        }
        return true;
    }

    public Shape outputImage(String name, Shape in, Window window, int channels, String attribute) {
        // 'valid' on the padded input: for 'same' padding that is ceil(in / stride), as Keras has it
        long height = KerasShapes.convolutionOutput((long) in.height() + window.padTop() + window.padBottom(),
                window.height(), window.strideHeight(), window.dilationHeight(), false);
        long width = KerasShapes.convolutionOutput((long) in.width() + window.padLeft() + window.padRight(),
                window.width(), window.strideWidth(), window.dilationWidth(), false);
        long size = Sizes.product(height, width, channels);
        if (size > MAX_ARRAY_LENGTH) {
            error(Rule.TOO_LARGE, attribute, name + ": output " + height + "x" + width + "x" + channels
                    + " has " + format(size) + " values, more than a Java array holds: " + format(size) + " > "
                    + format(MAX_ARRAY_LENGTH) + trail.through(name, null));
            return null;
        }
        return Shape.image((int) height, (int) width, channels);
    }

    public boolean fitsArray(String name, String attribute, String what, long count, Shape out) {
        if (count <= MAX_ARRAY_LENGTH) {
            return true;
        }
        error(Rule.TOO_LARGE, attribute, name + ": its " + what + " (" + format(count)
                + " values) does not fit a Java array: " + format(count) + " > " + format(MAX_ARRAY_LENGTH)
                + trail.through(name, null));
        return false;
    }

    public boolean positive(String name, String attribute, int value) {
        if (value > 0) {
            return true;
        }
        error(Rule.NOT_POSITIVE, attribute, name + ": " + attribute + " must be positive; found " + value);
        return false;
    }

    /**
     * An {@code int[]} attribute meaning one value for both axes or {@code {height, width}}; returns
     * the two values, an empty array when {@code emptyAllowed} and empty, or null after reporting.
     */
    public int[] pair(String name, String attribute, int[] values, boolean emptyAllowed) {
        if (values.length == 0 && emptyAllowed) {
            return values;
        }
        String what = attribute.equals("value") ? "pool size (value)" : attribute;
        if (values.length != 1 && values.length != 2) {
            error(Rule.ARRAY_LENGTH, attribute, name + ": " + what
                    + " must have one value (both axes) or two ({height, width}); found " + values.length
                    + " values " + ShapeTrail.braces(values));
            return null;
        }
        boolean ok = true;
        for (int v : values) {
            ok &= v > 0;
        }
        if (!ok) {
            error(Rule.NOT_POSITIVE, attribute, name + ": " + what + " must be positive; found "
                    + ShapeTrail.braces(values));
            return null;
        }
        return values.length == 1 ? new int[] {values[0], values[0]} : values;
    }

    /**
     * A border attribute ({@code value} of {@code @ZeroPadding2D}, {@code @Cropping2D}): one, two or
     * four values, none negative; returns them as {@code {top, bottom, left, right}}, or null after
     * reporting ({@code what} names them: "padding", "cropping").
     */
    public int[] sides(String name, String what, int[] values) {
        if (values.length != 1 && values.length != 2 && values.length != 4) {
            error(Rule.ARRAY_LENGTH, "value", name + ": value must have one value (all sides), two"
                    + " ({vertical, horizontal}) or four ({top, bottom, left, right}); found " + values.length
                    + " values " + braces(values));
            return null;
        }
        for (int v : values) {
            if (v < 0) {
                error(Rule.NOT_POSITIVE, "value", name + ": " + what + " must not be negative; found "
                        + braces(values));
                return null;
            }
        }
        return LayerDeclaration.sides(values);
    }
}
