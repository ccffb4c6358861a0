package io.shendu.train;

import java.util.Arrays;

/**
 * The result of evaluating a classifier: mean loss, accuracy, top-k accuracy and the confusion matrix
 * ({@code confusion[true][predicted]}).
 */
public record Evaluation(double loss, long correct, long correctTopK, int k, long count, long[][] confusion) {

    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    public double topKAccuracy() {
        return count == 0 ? Double.NaN : (double) correctTopK / count;
    }

    /** Accuracy of each true class (NaN for a class with no example). */
    public double[] perClassAccuracy() {
        double[] out = new double[confusion.length];
        for (int c = 0; c < confusion.length; c++) {
            long total = Arrays.stream(confusion[c]).sum();
            out[c] = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
        }
        return out;
    }

    /** The confusion matrix as aligned text, rows = true class, columns = predicted class. */
    public String confusionTable() {
        int n = confusion.length;
        long max = 1;
        for (long[] row : confusion) for (long v : row) max = Math.max(max, v);
        int w = Math.max(Long.toString(max).length(), Integer.toString(n - 1).length()) + 1;
        StringBuilder sb = new StringBuilder(" ".repeat(6)).append("predicted\n").append(pad("true", 6));
        for (int c = 0; c < n; c++) sb.append(pad(Integer.toString(c), w));
        sb.append('\n');
        for (int r = 0; r < n; r++) {
            sb.append(pad(Integer.toString(r), 6));
            for (int c = 0; c < n; c++) sb.append(pad(Long.toString(confusion[r][c]), w));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }
}
