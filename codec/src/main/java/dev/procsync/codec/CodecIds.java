package dev.procsync.codec;

import java.util.Objects;

/** Codec ids: the 32-character limit of {@link Codec#id()}, Java type ids, and the JSON family. */
final class CodecIds {
    static final int MAX = 32;
    static final String JSON = "json";
    private static final String JSON_PREFIX = JSON + ":";

    private CodecIds() {
    }

    /**
     * {@code prefix + ":" + className} if that fits; otherwise the prefix, the end of the class
     * name and a hash of the whole name, so that different types still get different ids.
     */
    static String forType(String prefix, String typeName) {
        String id = prefix + ":" + typeName;
        if (id.length() <= MAX) {
            return id;
        }
        String hash = String.format("%08x", typeName.hashCode());
        int room = MAX - prefix.length() - 2 - hash.length();
        return prefix + ":" + typeName.substring(typeName.length() - room) + "~" + hash;
    }

    /**
     * {@code "json:" + typeName}, after checking that the name is 1 to 27 printable ASCII
     * characters without a space (so the id fits in 32).
     */
    static String json(String typeName) {
        Objects.requireNonNull(typeName, "typeName");
        int room = MAX - JSON_PREFIX.length();
        if (typeName.isEmpty() || typeName.length() > room) {
            throw new IllegalArgumentException("JSON type name must be 1.." + room + " characters, got "
                    + typeName.length() + ": '" + typeName + "'");
        }
        for (int i = 0; i < typeName.length(); i++) {
            char c = typeName.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new IllegalArgumentException("JSON type name must be printable ASCII without spaces, got '"
                        + typeName + "' (character " + i + ")");
            }
        }
        return JSON_PREFIX + typeName;
    }

    /**
     * The JSON family's rule: {@code "json"} and {@code "json:<name>"} are one format; a name is
     * checked only when both sides have one. So a codec without a name opens any JSON channel
     * (including those that earlier versions created as {@code "json:<Java class name>"}), and a
     * channel created without a name accepts any JSON codec.
     */
    static boolean jsonAccepts(String ownId, String storedId) {
        boolean storedJson = storedId.equals(JSON) || storedId.startsWith(JSON_PREFIX);
        return storedJson && (ownId.equals(JSON) || storedId.equals(JSON) || ownId.equals(storedId));
    }
}
