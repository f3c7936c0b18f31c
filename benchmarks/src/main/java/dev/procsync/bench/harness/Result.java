package dev.procsync.bench.harness;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One measured figure set, printed as one JSON line (the format the C and Python peers use too). */
public final class Result {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public Result(String impl, String workload) {
        fields.put("impl", impl);
        fields.put("workload", workload);
    }

    public Result put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    public Object get(String key) {
        return fields.get(key);
    }

    public String toJson() {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v instanceof Number || v instanceof Boolean) {
                b.append(v instanceof Double || v instanceof Float
                        ? String.format(Locale.ROOT, "%.6g", ((Number) v).doubleValue()) : v.toString());
            } else {
                b.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return b.append('}').toString();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
