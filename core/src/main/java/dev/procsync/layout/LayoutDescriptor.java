package dev.procsync.layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The machine-readable form of one layout: its fields (offset, size, meaning) and its protocol
 * constants (state values and bits), for tools, documents and other-language clients. Built with
 * {@link #builder(String, String, int)}; {@link Builder#build(int)} validates alignment, overlaps and
 * bounds and throws with the numbers in the message.
 *
 * <p>A layout is either <em>absolute</em> (offsets from the start of the file, the segment header
 * first) or <em>relative</em> (offsets from the start of a block inside a segment, such as a
 * queue record or a pipe ring's control block).
 */
public final class LayoutDescriptor {
    /** A size that depends on the segment's parameters (say which in the field's size text). */
    public static final int VARIABLE = -1;

    /**
     * One field.
     *
     * @param name        the field's name, as the code and the documents call it
     * @param offset      its offset (absolute or relative, as the layout is)
     * @param size        its size in bytes, or {@link #VARIABLE}
     * @param sizeText    the size as documents print it ("8", "R", "capacity")
     * @param stride      0 for a single field; for a table of slots, the distance between slot i
     *                    and slot i + 1 (the field is then slot 0's)
     * @param count       for a slot table, how many slots, or {@link #VARIABLE} when a parameter
     *                    says (the table must then come last); 0 for a single field
     * @param description what it holds
     */
    public record Field(String name, int offset, int size, String sizeText, int stride, int count,
            String description) {
        /** The offset as documents print it: {@code 192} or {@code 192 + 16·i}. */
        public String offsetText() {
            return stride == 0 ? Integer.toString(offset) : offset + " + " + stride + "·i";
        }
    }

    /**
     * One protocol constant: a state value, a bit or a mask of a word.
     *
     * @param name    its name, as the code calls it
     * @param value   its value
     * @param meaning what it means
     */
    public record Constant(String name, long value, String meaning) {
        /** The value as documents print it: decimal below 4096, hexadecimal above, negative as is. */
        public String valueText() {
            return value >= 0 && value < 4096 ? Long.toString(value) : "0x" + Long.toHexString(value);
        }
    }

    private final String kind;
    private final String title;
    private final int code;
    private final int version;
    private final boolean relative;
    private final int length;
    private final List<Field> fields;
    private final List<Constant> constants;

    private LayoutDescriptor(Builder b) {
        this.kind = b.kind;
        this.title = b.title;
        this.code = b.code;
        this.version = b.version;
        this.relative = b.relative;
        this.length = b.length;
        this.fields = List.copyOf(b.fields);
        this.constants = List.copyOf(b.constants);
    }

    /**
     * Starts an absolute layout of a segment kind.
     *
     * @param kind    the kind's name as stored in the header table ({@code "LOCK"}); several kinds
     *                may share one layout ({@code "QUEUE"} for the three queues)
     * @param title   the layout's name in documents ({@code "Lock"})
     * @param code    the kind code in the header, or 0 for a relative block
     * @return a builder
     */
    public static Builder builder(String kind, String title, int code) {
        return new Builder(kind, title, code, false);
    }

    /**
     * Starts a relative layout: a block whose offsets count from its own start.
     *
     * @param name  the block's name ({@code "QUEUE_RECORD"})
     * @param title its name in documents
     * @return a builder
     */
    public static Builder relative(String name, String title) {
        return new Builder(name, title, 0, true);
    }

    /** The kind's name ({@code "LOCK"}) or the block's. */
    public String kind() {
        return kind;
    }

    /** The name documents use. */
    public String title() {
        return title;
    }

    /** The header's kind code; 0 for a relative block. */
    public int code() {
        return code;
    }

    /** The layout version written in the header of a new file of this kind. */
    public int version() {
        return version;
    }

    /** Whether offsets count from the start of a block rather than of the file. */
    public boolean isRelative() {
        return relative;
    }

    /**
     * The layout's fixed length: for an absolute layout the end of its last fixed field (the
     * header included), for a relative block its size; {@link #VARIABLE} when the last field's size
     * depends on parameters.
     */
    public int length() {
        return length;
    }

    /** The fields, by offset. */
    public List<Field> fields() {
        return fields;
    }

    /** The protocol constants, in the order the layout class lists them. */
    public List<Constant> constants() {
        return constants;
    }

    /**
     * The field of that name.
     *
     * @param name a field name
     * @return the field
     * @throws IllegalArgumentException if there is none
     */
    public Field field(String name) {
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException(title + " has no field '" + name + "'");
    }

    @Override
    public String toString() {
        return title + " layout v" + version + (relative ? " (relative)" : " (kind " + code + ")");
    }

    /** Collects fields and constants; {@link #build(int)} checks them. */
    public static final class Builder {
        private final String kind;
        private final String title;
        private final int code;
        private final boolean relative;
        private int version = 1;
        private int length = VARIABLE;
        private final List<Field> fields = new ArrayList<>();
        private final List<Constant> constants = new ArrayList<>();

        private Builder(String kind, String title, int code, boolean relative) {
            this.kind = Objects.requireNonNull(kind);
            this.title = Objects.requireNonNull(title);
            this.code = code;
            this.relative = relative;
        }

        /**
         * The layout version (default 1).
         *
         * @param v the version, at least 1
         * @return this
         */
        public Builder version(int v) {
            if (v < 1) {
                throw new IllegalArgumentException(title + ": layout version must be >= 1: " + v);
            }
            this.version = v;
            return this;
        }

        /**
         * A field of fixed size.
         *
         * @param name        its name
         * @param offset      its offset
         * @param size        its size in bytes
         * @param description what it holds
         * @return this
         */
        public Builder field(String name, int offset, int size, String description) {
            fields.add(new Field(name, offset, size, Integer.toString(size), 0, 0, description));
            return this;
        }

        /**
         * A field whose size depends on parameters; it must be the last one.
         *
         * @param name        its name
         * @param offset      its offset
         * @param sizeText    the size as documents print it
         * @param description what it holds
         * @return this
         */
        public Builder variable(String name, int offset, String sizeText, String description) {
            fields.add(new Field(name, offset, VARIABLE, sizeText, 0, 0, description));
            return this;
        }

        /**
         * A field repeated in slots {@code stride} bytes apart. Fields of one slot table are
         * declared together (slot 0's offsets) and share stride and count.
         *
         * @param name        its name
         * @param offset      slot 0's offset
         * @param size        its size in bytes
         * @param stride      distance between slots
         * @param count       how many slots, or {@link #VARIABLE} when a parameter says (then last)
         * @param description what it holds
         * @return this
         */
        public Builder slot(String name, int offset, int size, int stride, int count, String description) {
            fields.add(new Field(name, offset, size, Integer.toString(size), stride, count, description));
            return this;
        }

        /**
         * A protocol constant.
         *
         * @param name    its name
         * @param value   its value
         * @param meaning what it means
         * @return this
         */
        public Builder constant(String name, long value, String meaning) {
            constants.add(new Constant(name, value, meaning));
            return this;
        }

        /**
         * Validates and builds: offsets strictly increase, fields do not overlap, 4- and 8-byte
         * fields are naturally aligned, an absolute layout starts at or after the header, slot
         * tables and variable fields come last.
         *
         * @param fixedLength the end of the fixed part (an absolute layout: from the start of the
         *                    file), or {@link #VARIABLE} if the last field is variable or a slot table
         * @return the descriptor
         * @throws IllegalStateException naming the field and numbers that are wrong
         */
        public LayoutDescriptor build(int fixedLength) {
            this.length = fixedLength;
            int end = relative || code == 0 ? 0 : HeaderLayout.LENGTH;
            boolean last = false;
            int slotsStart = -1;
            Field table = null;
            for (Field f : fields) {
                if (last && (table == null || f.stride() != table.stride())) {
                    throw new IllegalStateException(title + ": field '" + f.name()
                            + "' follows a field of variable size or count, which must come last");
                }
                if (table != null && f.stride() == 0) {
                    // leaving a slot table: it ends after its last slot
                    end = slotsStart + table.stride() * table.count();
                    table = null;
                }
                if (f.offset() < end) {
                    throw new IllegalStateException(title + ": field '" + f.name() + "' at " + f.offset()
                            + " overlaps what ends at " + end);
                }
                if ((f.size() == 4 || f.size() == 8) && f.offset() % f.size() != 0) {
                    throw new IllegalStateException(title + ": field '" + f.name() + "' of " + f.size()
                            + " bytes at " + f.offset() + " is not " + f.size() + "-byte aligned");
                }
                if (f.stride() != 0) {
                    if (f.stride() % 8 != 0 || f.count() == 0) {
                        throw new IllegalStateException(title + ": slot field '" + f.name() + "' has stride "
                                + f.stride() + " and count " + f.count() + " (a multiple of 8, and a count)");
                    }
                    if (table == null) {
                        table = f;
                        slotsStart = f.offset();
                    } else if (f.stride() != table.stride() || f.count() != table.count()) {
                        throw new IllegalStateException(title + ": slot field '" + f.name() + "' does not share the "
                                + "stride and count of '" + table.name() + "'");
                    }
                    if (f.offset() + f.size() > slotsStart + f.stride()) {
                        throw new IllegalStateException(title + ": slot field '" + f.name() + "' at " + f.offset()
                                + " does not fit in the first slot (" + slotsStart + " + " + f.stride() + ")");
                    }
                }
                last = f.size() == VARIABLE || f.count() == VARIABLE;
                end = f.size() == VARIABLE ? f.offset() : f.offset() + f.size();
            }
            if (table != null && table.count() != VARIABLE) {
                end = slotsStart + table.stride() * table.count();
            }
            if (fixedLength != VARIABLE && fixedLength < end) {
                throw new IllegalStateException(title + ": length " + fixedLength
                        + " is shorter than its last field's end "
                        + end);
            }
            return new LayoutDescriptor(this);
        }
    }
}
