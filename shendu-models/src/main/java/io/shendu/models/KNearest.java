package io.shendu.models;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.Arrays;

/**
 * The k-nearest-neighbour classifier (Fix and Hodges 1951; Cover and Hart 1967): a query takes the majority
 * label of its {@code k} nearest stored points by Euclidean distance; a tied vote goes to the tied class whose
 * members are nearest (summed distance). Brute force, {@code O(N·D)} per query: meant for embeddings of a few
 * thousand points, as in judging a 2-D projection by how well its neighbourhoods keep the classes apart.
 */
public final class KNearest {

    private final float[] points;
    private final int[] labels;
    private final int dim, k, numClasses;

    /** Stores {@code points [N, D]} with int32 {@code labels [N]}. */
    public KNearest(Tensor points, Tensor labels, int k) {
        this(flat(points), labels.toIntArray(), points.rank() == 2 ? points.size(1) : -1, k);
        if (labels.rank() != 1 || labels.size(0) != points.size(0)) {
            throw new IllegalArgumentException("KNearest: points " + Arrays.toString(points.shape()) + " need labels ["
                    + points.size(0) + "], got " + Arrays.toString(labels.shape()));
        }
    }

    private KNearest(float[] points, int[] labels, int dim, int k) {
        if (dim <= 0) throw new IllegalArgumentException("KNearest: points must be [N, D]");
        if (k < 1 || k > labels.length) {
            throw new IllegalArgumentException("KNearest: k must be in 1.." + labels.length + ", got " + k);
        }
        this.points = points;
        this.labels = labels;
        this.dim = dim;
        this.k = k;
        int max = 0;
        for (int y : labels) {
            if (y < 0) throw new IllegalArgumentException("KNearest: labels must be >= 0, got " + y);
            max = Math.max(max, y);
        }
        this.numClasses = max + 1;
    }

    /** The predicted label of each query row {@code [M, D] → int[M]}. */
    public int[] predict(Tensor queries) {
        if (queries.rank() != 2 || queries.size(1) != dim) {
            throw new IllegalArgumentException("KNearest.predict: expected queries [M, " + dim + "], got "
                    + Arrays.toString(queries.shape()));
        }
        float[] q = queries.toFloatArray();
        int[] out = new int[queries.size(0)];
        for (int i = 0; i < out.length; i++) out[i] = predict(q, i * dim);
        return out;
    }

    /** The fraction of {@code queries} whose predicted label equals {@code labels}. */
    public double accuracy(Tensor queries, Tensor labels) {
        int[] predicted = predict(queries), truth = labels.toIntArray();
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("KNearest.accuracy: " + predicted.length + " queries but " + truth.length + " labels");
        }
        int correct = 0;
        for (int i = 0; i < truth.length; i++) if (predicted[i] == truth[i]) correct++;
        return (double) correct / truth.length;
    }

    /**
     * The {@code folds}-fold cross-validated accuracy of k-NN on {@code points [N, D]} with {@code labels [N]}:
     * the points are shuffled by {@code gen} and cut into folds; each fold is classified by the others.
     */
    public static double crossValidatedAccuracy(Tensor points, Tensor labels, int k, int folds, Generator gen) {
        int n = points.size(0);
        if (folds < 2 || folds > n) throw new IllegalArgumentException("KNearest: folds must be in 2.." + n + ", got " + folds);
        float[] p = flat(points);
        int[] y = labels.toIntArray();
        int d = points.size(1);
        int[] order = permutation(n, gen);
        int correct = 0;
        for (int f = 0; f < folds; f++) {
            int from = (int) ((long) n * f / folds), to = (int) ((long) n * (f + 1) / folds);
            float[] trainPoints = new float[(n - (to - from)) * d];
            int[] trainLabels = new int[n - (to - from)];
            int t = 0;
            for (int i = 0; i < n; i++) {
                if (i >= from && i < to) continue;
                System.arraycopy(p, order[i] * d, trainPoints, t * d, d);
                trainLabels[t++] = y[order[i]];
            }
            KNearest knn = new KNearest(trainPoints, trainLabels, d, k);
            for (int i = from; i < to; i++) if (knn.predict(p, order[i] * d) == y[order[i]]) correct++;
        }
        return (double) correct / n;
    }

    /** The vote of the k nearest stored points to {@code q[offset .. offset + dim)}. */
    private int predict(float[] q, int offset) {
        int[] nearest = new int[k];
        double[] distance = new double[k];
        Arrays.fill(distance, Double.POSITIVE_INFINITY);
        for (int j = 0; j < labels.length; j++) {
            double s = 0;
            for (int c = 0; c < dim; c++) {
                double diff = q[offset + c] - points[j * dim + c];
                s += diff * diff;
            }
            if (s >= distance[k - 1]) continue;
            int pos = k - 1; // insertion into the sorted list of the k best
            while (pos > 0 && distance[pos - 1] > s) {
                distance[pos] = distance[pos - 1];
                nearest[pos] = nearest[pos - 1];
                pos--;
            }
            distance[pos] = s;
            nearest[pos] = j;
        }
        int[] votes = new int[numClasses];
        double[] summed = new double[numClasses];
        for (int i = 0; i < k; i++) {
            votes[labels[nearest[i]]]++;
            summed[labels[nearest[i]]] += Math.sqrt(distance[i]);
        }
        int best = 0;
        for (int c = 1; c < numClasses; c++) {
            if (votes[c] > votes[best] || (votes[c] == votes[best] && summed[c] < summed[best])) best = c;
        }
        return best;
    }

    private static float[] flat(Tensor points) {
        if (points.rank() != 2) throw new IllegalArgumentException("KNearest: points must be [N, D], got " + Arrays.toString(points.shape()));
        return points.toFloatArray();
    }

    private static int[] permutation(int n, Generator gen) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) { // Fisher–Yates
            int j = gen.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
