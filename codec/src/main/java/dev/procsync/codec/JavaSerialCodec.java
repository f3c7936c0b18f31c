package dev.procsync.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Java serialization, opt-in and never by default, restricted by an {@link ObjectInputFilter}
 * allow-list: decoding accepts only the listed classes (and their serializable superclasses),
 * primitives, strings and arrays of those, at most 32 levels deep, 100,000 references and the
 * message's own length. Everything else is rejected before it is instantiated, so a peer that
 * writes a gadget chain gets an {@link IllegalArgumentException}, not code execution.
 *
 * <p>Prefer {@link Codecs#json(Class) JSON} or a hand-written codec: serialization ties every process to the
 * same class versions and is Java-only. The codec id is {@code "jser:" + type name}.
 *
 * @param <T> the message type
 */
public final class JavaSerialCodec<T extends Serializable> implements Codec<T> {
    private static final int MAX_DEPTH = 32;
    private static final int MAX_REFERENCES = 100_000;

    private final Class<T> type;
    private final Set<Class<?>> allowed;
    private final String id;

    private JavaSerialCodec(Class<T> type, Set<Class<?>> allowed) {
        this.type = type;
        this.allowed = allowed;
        this.id = CodecIds.forType("jser", type.getName());
    }

    /**
     * A codec for {@code type} that decodes only {@code type}, the {@code alsoAllowed} classes
     * (e.g. the types of its fields) and their serializable superclasses.
     *
     * @param <T>         the message type
     * @param type        the class of every message
     * @param alsoAllowed further classes that may appear inside a message
     * @return the codec
     */
    public static <T extends Serializable> JavaSerialCodec<T> allowing(Class<T> type, Class<?>... alsoAllowed) {
        Set<Class<?>> allowed = new HashSet<>();
        addWithSuperclasses(allowed, Objects.requireNonNull(type, "type"));
        for (Class<?> c : alsoAllowed) {
            addWithSuperclasses(allowed, Objects.requireNonNull(c, "allowed class"));
        }
        return new JavaSerialCodec<>(type, Set.copyOf(allowed));
    }

    private static void addWithSuperclasses(Set<Class<?>> allowed, Class<?> c) {
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            allowed.add(k);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public byte[] encode(T value) {
        Objects.requireNonNull(value, "value");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getName() + ": " + e, e);
        }
        return bytes.toByteArray();
    }

    @Override
    public T decode(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        long maxBytes = copy.length;
        ObjectInputFilter filter = info -> {
            if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.streamBytes() > maxBytes) {
                return ObjectInputFilter.Status.REJECTED;
            }
            Class<?> c = info.serialClass();
            if (c == null) {
                return ObjectInputFilter.Status.UNDECIDED;
            }
            while (c.isArray()) {
                c = c.getComponentType();
            }
            return c.isPrimitive() || c == String.class || allowed.contains(c)
                    ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
        };
        Object value;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(copy))) {
            in.setObjectInputFilter(filter);
            value = in.readObject();
        } catch (InvalidClassException e) {
            throw new IllegalArgumentException("message holds a class that is not on the allow-list of " + this
                    + ": " + e.getMessage(), e);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalArgumentException("message is not a serialized " + type.getName() + ": " + e, e);
        }
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("message is a " + (value == null ? "null" : value.getClass().getName())
                    + ", not a " + type.getName());
        }
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "JavaSerialCodec[" + type.getName() + ", allowing " + allowed.size() + " classes]";
    }
}
