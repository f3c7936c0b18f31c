package dev.procsync.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** A PNG bar chart of round-trip latency percentiles (p50, p99, p99.9) for every ping-pong workload, log scale. */
final class LatencyChart {
    private static final String[] PERCENTILES = {"p50_ns", "p99_ns", "p999_ns"};
    private static final Color[] COLORS = {new Color(0x2b6cb0), new Color(0xdd6b20), new Color(0x9b2c2c)};

    private LatencyChart() {
    }

    static void write(Map<String, Map<String, Row>> table, Path png) throws IOException {
        List<Row> bars = new ArrayList<>();
        table.forEach((workload, rows) -> rows.values().stream().filter(r -> r.metrics.containsKey("p50_ns"))
                .forEach(bars::add));
        int width = Math.max(640, 90 + bars.size() * 54);
        int height = 580;
        int left = 70;
        int top = 40;
        int bottom = 250;
        int plotH = height - top - bottom;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("Cross-process round-trip latency (ns, log scale): p50 / p99 / p99.9", left, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        double lo = 1;
        double hi = 1e7;
        for (int decade = 0; decade <= 7; decade++) {
            int y = top + plotH - (int) (plotH * decade / 7.0);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, width - 10, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(decade == 0 ? "1" : "1e" + decade, 30, y + 4);
        }
        int x = left + 10;
        for (Row row : bars) {
            for (int p = 0; p < PERCENTILES.length; p++) {
                double v = row.median(PERCENTILES[p]);
                if (Double.isNaN(v) || v <= 0) {
                    continue;
                }
                double frac = (Math.log10(Math.max(lo, Math.min(hi, v)))) / 7.0;
                int h = (int) (plotH * frac);
                g.setColor(COLORS[p]);
                g.fillRect(x + p * 14, top + plotH - h, 12, h);
            }
            g.setColor(Color.BLACK);
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.translate(x + 20, top + plotH + 8);
            rotated.rotate(Math.PI / 2);
            rotated.drawString(row.workload + " · " + row.impl, 0, 0);
            rotated.dispose();
            x += 54;
        }
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.BLACK);
        g.drawLine(left, top + plotH, width - 10, top + plotH);
        for (int p = 0; p < PERCENTILES.length; p++) {
            g.setColor(COLORS[p]);
            g.fillRect(width - 220 + p * 70, 30, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(PERCENTILES[p].replace("_ns", ""), width - 206 + p * 70, 40);
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }
}
