package io.shendu.models;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Add-k unigram and bigram models on a toy corpus, checked against counts done by hand. */
class NgramBaselineTest {

    // Vocabulary a = 0, b = 1, c = 2; training text "a b a b c".
    private static final int[] TRAIN = {0, 1, 0, 1, 2};
    private static final int[] VALIDATION = {0, 1, 2};   // predicts b after a, then c after b

    @Test
    void unigramByHand() {
        NgramBaseline m = NgramBaseline.unigram(TRAIN, 3, 1);
        // c(a) = 2, c(b) = 2, c(c) = 1, N = 5: p = (c + 1) / (5 + 3)
        assertEquals(3.0 / 8, m.probability(2, 0), 1e-12);
        assertEquals(3.0 / 8, m.probability(0, 1), 1e-12);
        assertEquals(2.0 / 8, m.probability(0, 2), 1e-12);
        // p(b) · p(c) = 3/8 · 1/4 over two predictions
        assertEquals(Math.sqrt(32.0 / 3), m.perplexity(VALIDATION), 1e-12);
    }

    @Test
    void bigramByHand() {
        NgramBaseline m = NgramBaseline.bigram(TRAIN, 3, 1);
        // bigrams ab ×2, ba, bc; contexts a ×2, b ×2, c never: p(w | v) = (c(v w) + 1) / (c(v ·) + 3)
        assertEquals(3.0 / 5, m.probability(0, 1), 1e-12);
        assertEquals(1.0 / 5, m.probability(0, 0), 1e-12);
        assertEquals(2.0 / 5, m.probability(1, 2), 1e-12);
        assertEquals(1.0 / 3, m.probability(2, 0), 1e-12);   // an unseen context: uniform
        assertEquals(5 / Math.sqrt(6), m.perplexity(VALIDATION), 1e-12);   // 1 / √(3/5 · 2/5)
        assertEquals(Math.log(5 / Math.sqrt(6)), m.crossEntropy(VALIDATION), 1e-12);
    }

    @Test
    void everyConditionalDistributionSumsToOne() {
        for (double k : new double[] {1, 0.1, 0.001}) {
            for (NgramBaseline m : new NgramBaseline[] {NgramBaseline.unigram(TRAIN, 3, k), NgramBaseline.bigram(TRAIN, 3, k)}) {
                for (int v = 0; v < 3; v++) {
                    double sum = 0;
                    for (int w = 0; w < 3; w++) sum += m.probability(v, w);
                    assertEquals(1, sum, 1e-12, m + " after " + v);
                }
            }
        }
    }

    @Test
    void smallerKTrustsTheCountsMore() {
        // The validation bigrams were both seen, so less smoothing gives them more probability.
        assertEquals(true, NgramBaseline.bigram(TRAIN, 3, 0.01).perplexity(VALIDATION)
                < NgramBaseline.bigram(TRAIN, 3, 1).perplexity(VALIDATION));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> NgramBaseline.unigram(TRAIN, 3, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> NgramBaseline.bigram(new int[] {0, 3}, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> NgramBaseline.bigram(TRAIN, 3, 1).perplexity(new int[] {0}));
    }
}
