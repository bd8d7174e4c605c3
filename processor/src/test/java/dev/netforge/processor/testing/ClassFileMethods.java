package dev.netforge.processor.testing;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the bytecode length of every method in a class file (the {@code code_length} of its
 * {@code Code} attribute, JVMS 4.7.3): what HotSpot compares with {@code HugeMethodLimit}.
 */
public final class ClassFileMethods {
    private ClassFileMethods() {
    }

    /** Method name and descriptor to bytecode length; abstract and native methods are absent. */
    public static Map<String, Integer> codeLengths(byte[] classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            String[] utf8 = constantPool(in).utf8();
            in.skipNBytes(6); // access, this, super
            in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
            int fields = in.readUnsignedShort();
            for (int f = 0; f < fields; f++) {
                in.skipNBytes(6);
                skipAttributes(in);
            }
            Map<String, Integer> lengths = new LinkedHashMap<>();
            int methods = in.readUnsignedShort();
            for (int m = 0; m < methods; m++) {
                in.skipNBytes(2);
                String name = utf8[in.readUnsignedShort()] + utf8[in.readUnsignedShort()];
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    String attribute = utf8[in.readUnsignedShort()];
                    int length = in.readInt();
                    if (attribute.equals("Code")) {
                        in.skipNBytes(4); // max_stack, max_locals
                        int code = in.readInt();
                        lengths.put(name, code);
                        in.skipNBytes(length - 8L);
                    } else {
                        in.skipNBytes(length);
                    }
                }
            }
            return lengths;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The values of the class file's {@code CONSTANT_String} entries: the strings HotSpot resolves, all
     * at once and allocating each, when C2 is first asked to compile a method of the class.
     */
    public static java.util.List<String> stringConstants(byte[] classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            ConstantPool pool = constantPool(in);
            return pool.strings().stream().map(index -> pool.utf8()[index]).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The constant pool's UTF-8 entries by index, and the indexes of its {@code CONSTANT_String} values. */
    private record ConstantPool(String[] utf8, java.util.List<Integer> strings) {
    }

    /** Reads the header and the constant pool (JVMS 4.4), leaving {@code in} at the access flags. */
    private static ConstantPool constantPool(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IllegalArgumentException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        java.util.List<Integer> strings = new java.util.ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 8 -> strings.add(in.readUnsignedShort());
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++; // longs and doubles take two slots
                }
                case 7, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                default -> throw new IllegalArgumentException("constant pool tag " + tag);
            }
        }
        return new ConstantPool(utf8, strings);
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            in.skipNBytes(2);
            in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
        }
    }
}
