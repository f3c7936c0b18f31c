package dev.procsync.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-paragraph description of the machine a report was measured on. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException e) {
            // keep the placeholder
        }
        long memGb = 0;
        try {
            memGb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024).findFirst().orElse(0L);
        } catch (IOException e) {
            // keep zero
        }
        String load = "unknown";
        try {
            String[] avg = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            load = avg[0] + " / " + avg[1] + " / " + avg[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            // keep the placeholder
        }
        return "- CPU: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " vCPUs\n"
                + "- Memory: " + memGb + " GiB\n"
                + "- Kernel: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + "\n"
                + "- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + "\n- Load average (1 / 5 / 15 min) when the report was written: " + load
                + " (runnable threads on " + Runtime.getRuntime().availableProcessors() + " vCPUs: above that,"
                + " every figure includes waiting for a CPU)";
    }
}
