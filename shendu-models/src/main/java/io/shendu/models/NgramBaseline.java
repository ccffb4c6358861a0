package io.shendu.models;

import java.util.HashMap;
import java.util.Map;

/**
 * Count-based baselines for a language model, with add-k (Lidstone) smoothing over a vocabulary of V tokens:
 * <pre>
 *   unigram   p(w)            = (c(w) + k) / (N + k·V)
 *   bigram    p(w | v)        = (c(v w) + k) / (c(v ·) + k·V)
 * </pre>
 * where N is the number of training tokens and {@code c(v ·)} the number of bigrams starting with v. Every token
 * of the vocabulary gets a non-zero probability, so the perplexity of any text is finite. Evaluated exactly as
 * {@link CharLanguageModel#crossEntropy}: every token but the first is predicted.
 */
public final class NgramBaseline {

    private final int order;
    private final int vocabSize;
    private final double k;
    private final int[] unigrams, contexts;
    private final Map<Long, Integer> bigrams = new HashMap<>();
    private final long total;

    private NgramBaseline(int order, int[] train, int vocabSize, double k) {
        if (vocabSize <= 0) throw new IllegalArgumentException("NgramBaseline: vocabSize must be positive, got " + vocabSize);
        if (!(k > 0) || Double.isInfinite(k)) throw new IllegalArgumentException("NgramBaseline: k must be finite and > 0, got " + k);
        this.order = order;
        this.vocabSize = vocabSize;
        this.k = k;
        unigrams = new int[vocabSize];
        contexts = new int[vocabSize];
        for (int i = 0; i < train.length; i++) {
            unigrams[check(train[i], i)]++;
            if (i > 0) {
                contexts[train[i - 1]]++;
                bigrams.merge(key(train[i - 1], train[i]), 1, Integer::sum);
            }
        }
        total = train.length;
    }

    /** The unigram model of {@code train}: each token's probability regardless of what came before. */
    public static NgramBaseline unigram(int[] train, int vocabSize, double k) {
        return new NgramBaseline(1, train, vocabSize, k);
    }

    /** The bigram model of {@code train}: each token's probability given the token before it. */
    public static NgramBaseline bigram(int[] train, int vocabSize, double k) {
        return new NgramBaseline(2, train, vocabSize, k);
    }

    public int order() {
        return order;
    }

    public double k() {
        return k;
    }

    /** p(next | previous); the unigram model ignores {@code previous}. */
    public double probability(int previous, int next) {
        check(next, -1);
        if (order == 1) return (unigrams[next] + k) / (total + k * vocabSize);
        check(previous, -1);
        return (bigrams.getOrDefault(key(previous, next), 0) + k) / (contexts[previous] + k * vocabSize);
    }

    /** The mean cross-entropy, in nats, of predicting {@code tokens[1..n−1]}, each from the token before it. */
    public double crossEntropy(int[] tokens) {
        if (tokens.length < 2) throw new IllegalArgumentException("crossEntropy: need at least 2 tokens, got " + tokens.length);
        double sum = 0;
        for (int i = 1; i < tokens.length; i++) sum -= Math.log(probability(tokens[i - 1], tokens[i]));
        return sum / (tokens.length - 1);
    }

    /** {@code exp(crossEntropy(tokens))}. */
    public double perplexity(int[] tokens) {
        return Math.exp(crossEntropy(tokens));
    }

    private static long key(int previous, int next) {
        return ((long) previous << 32) | next;
    }

    private int check(int token, int position) {
        if (token < 0 || token >= vocabSize) {
            throw new IndexOutOfBoundsException("NgramBaseline: token " + token + (position >= 0 ? " at position " + position : "")
                    + " is outside the vocabulary 0.." + (vocabSize - 1));
        }
        return token;
    }

    @Override
    public String toString() {
        return (order == 1 ? "unigram" : "bigram") + "(add-k, k=" + k + ")";
    }
}
