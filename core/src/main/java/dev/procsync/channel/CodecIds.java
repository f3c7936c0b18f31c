package dev.procsync.channel;

/** Builds codec ids from class names within the 32-character limit of {@link Codec#id()}. */
final class CodecIds {
    static final int MAX = 32;

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
}
