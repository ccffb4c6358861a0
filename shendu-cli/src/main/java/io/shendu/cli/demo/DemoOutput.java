package io.shendu.cli.demo;

import io.shendu.tensor.Tensor;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** What the lecture demos share: numbers printed the same way, and line charts of the same size saved as PNG. */
final class DemoOutput {

    /** The size of every figure: small enough to commit, big enough to read. */
    static final int WIDTH = 640, HEIGHT = 400;

    private DemoOutput() {}

    /** {@code v} with four decimals, e.g. {@code -0.1250}. */
    static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** A short number: integers without decimals, tiny ones in e-notation, others to four significant digits ({@code -4}, {@code 0.1296}). */
    static String shortNum(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        if (Math.abs(v) < 1e-3) return String.format(Locale.ROOT, "%.1e", v);
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }

    /** The values of a vector or matrix with four decimals: {@code [0.1296, 0.8691]} or {@code [[1.0, 2.0], [3.0, 4.0]]}. */
    static String values(Tensor t) {
        float[] v = t.toFloatArray();
        if (t.rank() <= 1) return row(v, 0, v.length);
        int cols = t.size(-1);
        StringBuilder sb = new StringBuilder("[");
        for (int r = 0; r < v.length / cols; r++) sb.append(r == 0 ? "" : ", ").append(row(v, r * cols, cols));
        return sb.append(']').toString();
    }

    private static String row(float[] v, int from, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : ", ").append(num(v[from + i]));
        return sb.append(']').toString();
    }

    /** A line chart of the figures' size. */
    static XYChart lineChart(String title, String xTitle, String yTitle) {
        return new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    }

    /** Saves {@code chart} as {@code name} in the demo's output folder and says where. */
    static Path savePng(DemoContext ctx, XYChart chart, String name) throws IOException {
        Path file = ctx.file(name);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        ctx.out().println("figure: " + file);
        return file;
    }
}
