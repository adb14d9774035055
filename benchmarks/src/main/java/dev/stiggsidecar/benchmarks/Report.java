package dev.stiggsidecar.benchmarks;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Writes the results as a markdown table and a PNG chart (throughput and p99 by concurrency). */
final class Report {

  /** The median of the repeats of one scenario at one concurrency. */
  record Row(String scenario, int concurrency, double throughput, double p50, double p99, double p999, long errors,
      double serverCpuMicros, double serverKernelMicros, double serverRunsPerCall) {}

  private static final Color[] COLORS = {new Color(0x55, 0x55, 0x55), new Color(0x1f, 0x77, 0xb4),
      new Color(0x2c, 0xa0, 0x2c), new Color(0xff, 0x7f, 0x0e), new Color(0x94, 0x67, 0xbd),
      new Color(0x8c, 0x56, 0x4b), new Color(0xd6, 0x27, 0x28), new Color(0x17, 0xbe, 0xcf)};

  private Report() {}

  /**
   * @param floor the scenario every row's ratios are taken against, at the same concurrency
   * @param redisFloor the second floor of the rows whose scenario mentions Redis (what one Redis
   *     round trip costs), shown in a column of its own
   */
  static String markdown(List<Row> rows, String floor, String redisFloor, List<String> notes) {
    StringBuilder out = new StringBuilder();
    out.append("| scenario | in flight | throughput (rps) | × floor | p50 µs | p99 µs | p99.9 µs | p99 × floor "
        + "| × raw Redis | server CPU µs/call | of which in the kernel | CPU × floor | server wake-ups/call "
        + "| errors |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    Map<Integer, Row> floors = byConcurrency(rows, floor);
    Map<Integer, Row> redisFloors = byConcurrency(rows, redisFloor);
    for (Row row : rows) {
      Row base = floors.get(row.concurrency());
      Row redisBase = row.scenario().contains("Redis") && !row.scenario().equals(redisFloor)
          ? redisFloors.get(row.concurrency()) : null;
      out.append(String.format("| %s | %d | %,.0f | %s | %.0f | %.0f | %.0f | %s | %s | %s | %s | %s | %s | %d |%n",
          row.scenario(), row.concurrency(), row.throughput(),
          base == null ? "" : String.format("%.2f", row.throughput() / base.throughput()),
          row.p50(), row.p99(), row.p999(), base == null ? "" : String.format("%.2f", row.p99() / base.p99()),
          redisBase == null ? "" : String.format("%.2f", row.throughput() / redisBase.throughput()),
          Double.isNaN(row.serverCpuMicros()) ? "" : String.format("%.1f", row.serverCpuMicros()),
          Double.isNaN(row.serverKernelMicros()) ? "" : String.format("%.1f", row.serverKernelMicros()),
          base == null || Double.isNaN(row.serverCpuMicros()) ? ""
              : String.format("%.2f", row.serverCpuMicros() / base.serverCpuMicros()),
          Double.isNaN(row.serverRunsPerCall()) ? "" : String.format("%.2f", row.serverRunsPerCall()), row.errors()));
    }
    out.append('\n');
    notes.forEach(note -> out.append("- ").append(note).append('\n'));
    return out.toString();
  }

  private static Map<Integer, Row> byConcurrency(List<Row> rows, String scenario) {
    Map<Integer, Row> byLevel = new LinkedHashMap<>();
    rows.stream().filter(row -> row.scenario().equals(scenario)).forEach(row -> byLevel.put(row.concurrency(), row));
    return byLevel;
  }

  static void chart(List<Row> rows, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<String> scenarios = new ArrayList<>();
    List<Integer> levels = new ArrayList<>();
    for (Row row : rows) {
      if (!scenarios.contains(row.scenario())) {
        scenarios.add(row.scenario());
      }
      if (!levels.contains(row.concurrency())) {
        levels.add(row.concurrency());
      }
    }
    int width = 1100;
    int height = 560;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    panel(g, rows, scenarios, levels, 40, "Throughput (requests/s) by requests in flight", Row::throughput, false);
    panel(g, rows, scenarios, levels, 580, "p99 latency (µs, log scale) by requests in flight", Row::p99, true);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    for (int i = 0; i < scenarios.size(); i++) {
      g.setColor(COLORS[i % COLORS.length]);
      int x = 40 + (i % 4) * 265;
      int y = height - 56 + (i / 4) * 24;
      g.fillRect(x, y, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString(scenarios.get(i), x + 20, y + 12);
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static void panel(Graphics2D g, List<Row> rows, List<String> scenarios, List<Integer> levels, int left,
      String title, java.util.function.ToDoubleFunction<Row> raw, boolean logScale) {
    int top = 50;
    int plotWidth = 480;
    int plotHeight = 380;
    java.util.function.ToDoubleFunction<Row> value = logScale
        ? row -> Math.log10(Math.max(1, raw.applyAsDouble(row))) : raw;
    double max = logScale ? Math.ceil(rows.stream().mapToDouble(value).max().orElse(1))
        : rows.stream().mapToDouble(value).max().orElse(1) * 1.1;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, left, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.setStroke(new BasicStroke(1));
    g.drawLine(left + 50, top, left + 50, top + plotHeight);
    g.drawLine(left + 50, top + plotHeight, left + 50 + plotWidth, top + plotHeight);
    int ticks = logScale ? (int) max : 4;
    for (int tick = 0; tick <= ticks; tick++) {
      double tickValue = logScale ? Math.pow(10, tick) : max * tick / ticks;
      int y = top + plotHeight - (int) (plotHeight * tick / (double) ticks);
      g.setColor(new Color(0xdd, 0xdd, 0xdd));
      g.drawLine(left + 51, y, left + 50 + plotWidth, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format("%,.0f", tickValue), left, y + 4);
    }
    int groupWidth = plotWidth / Math.max(1, levels.size());
    int barWidth = Math.max(4, (groupWidth - 16) / Math.max(1, scenarios.size()));
    for (int l = 0; l < levels.size(); l++) {
      int groupLeft = left + 58 + l * groupWidth;
      g.setColor(Color.BLACK);
      g.drawString(String.valueOf(levels.get(l)), groupLeft + groupWidth / 2 - 10, top + plotHeight + 16);
      for (int s = 0; s < scenarios.size(); s++) {
        int level = levels.get(l);
        String scenario = scenarios.get(s);
        double v = rows.stream().filter(r -> r.concurrency() == level && r.scenario().equals(scenario))
            .mapToDouble(value).findFirst().orElse(0);
        int barHeight = (int) (plotHeight * v / max);
        g.setColor(COLORS[s % COLORS.length]);
        g.fillRect(groupLeft + s * barWidth, top + plotHeight - barHeight, barWidth - 2, barHeight);
      }
    }
  }

  static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
