package io.shendu.models;

import io.shendu.data.TextCorpus;
import io.shendu.nn.Recurrent.Mode;
import io.shendu.tensor.Generator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Temperature sampling: the distribution it draws from, and one text per seed. */
class SamplingTest {

    private static final float[] LOGITS = {1f, 2f, 0f, 2.5f};

    @Test
    void temperatureZeroIsTheArgmax() {
        assertEquals(3, Sampling.sample(LOGITS, 0, null));
        assertEquals(0, Sampling.sample(new float[] {5f, 5f}, 0, null));
    }

    @Test
    void drawsFollowTheTemperedSoftmax() {
        for (double tau : new double[] {0.5, 1, 2}) {
            double[] p = new double[4];
            double z = 0;
            for (int i = 0; i < 4; i++) z += p[i] = Math.exp(LOGITS[i] / tau);
            Generator gen = new Generator(7);
            int[] counts = new int[4];
            int n = 40_000;
            for (int i = 0; i < n; i++) counts[Sampling.sample(LOGITS, tau, gen)]++;
            for (int i = 0; i < 4; i++) assertEquals(p[i] / z, counts[i] / (double) n, 0.01, "τ = " + tau + ", index " + i);
        }
    }

    @Test
    void aLowTemperatureSharpensAHighOneFlattens() {
        assertTrue(frequencyOfTheArgmax(0.2) > frequencyOfTheArgmax(1) && frequencyOfTheArgmax(1) > frequencyOfTheArgmax(5));
    }

    private static double frequencyOfTheArgmax(double tau) {
        Generator gen = new Generator(1);
        int hits = 0;
        for (int i = 0; i < 5_000; i++) if (Sampling.sample(LOGITS, tau, gen) == 3) hits++;
        return hits / 5_000.0;
    }

    @Test
    void oneSeedGivesOneText() {
        TextCorpus corpus = TextCorpus.of("春眠不觉晓，处处闻啼鸟。\n夜来风雨声，花落知多少。\n");
        CharLanguageModel m = new CharLanguageModel(corpus.vocabSize(), CharLanguageModel.Options.of(Mode.LSTM, 4, 8), new Generator(3));
        String a = Sampling.generate(m, corpus, "春", 40, null, 1.0, new Generator(11));
        String b = Sampling.generate(m, corpus, "春", 40, null, 1.0, new Generator(11));
        String c = Sampling.generate(m, corpus, "春", 40, null, 1.0, new Generator(12));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(41, a.codePointCount(0, a.length()));
        assertTrue(a.startsWith("春"));
    }

    @Test
    void generationStopsAfterTheStopString() {
        TextCorpus corpus = TextCorpus.of("ab");
        CharLanguageModel m = new CharLanguageModel(2, CharLanguageModel.Options.of(Mode.GRU, 2, 2), new Generator(0));
        String text = Sampling.generate(m, corpus, "a", 1000, "b", 1.0, new Generator(5));
        assertTrue(text.endsWith("b") && text.indexOf('b') == text.length() - 1, text);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Sampling.sample(LOGITS, -1, new Generator(0)));
        assertThrows(IllegalArgumentException.class, () -> Sampling.sample(new float[0], 1, new Generator(0)));
    }
}
