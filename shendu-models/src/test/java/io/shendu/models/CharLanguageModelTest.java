package io.shendu.models;

import io.shendu.data.TextCorpus;
import io.shendu.nn.Losses;
import io.shendu.nn.Recurrent.Mode;
import io.shendu.optim.Adam;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The character language model: shapes, gradients, carried state, a tiny training run, the validation split. */
class CharLanguageModelTest {

    private static CharLanguageModel model(Mode mode, int vocab, long seed) {
        return new CharLanguageModel(vocab, CharLanguageModel.Options.of(mode, 4, 5), new Generator(seed));
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RNN_TANH", "LSTM", "GRU"})
    void forwardAndBackwardOnATinyBatch(Mode mode) {
        CharLanguageModel m = model(mode, 7, 1);
        assertEquals(List.of("encoder.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
                "decoder.weight", "decoder.bias"), List.copyOf(m.stateDict().keySet()));
        Tensor tokens = Tensor.ofInts(new int[] {0, 3, 6, 2, 2, 5}, 2, 3);
        CharLanguageModel.Output out = m.forward(tokens, null);
        assertArrayEquals(new int[] {2, 3, 7}, out.logits().shape());
        assertArrayEquals(new int[] {1, 2, 5}, out.state().h().shape());
        if (mode == Mode.LSTM) assertArrayEquals(new int[] {1, 2, 5}, out.state().c().shape());
        else assertNull(out.state().c());

        Tensor targets = Tensor.ofInts(new int[] {3, 6, 1, 2, 5, 4}, 6);
        Losses.crossEntropy(out.logits().reshape(6, 7), targets, Losses.CrossEntropyOptions.defaults()).backward();
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
            assertNotNull(p.getValue().grad(), p.getKey());
            assertArrayEquals(p.getValue().shape(), p.getValue().grad().shape(), p.getKey());
            assertTrue(absSum(p.getValue().grad()) > 0, p.getKey() + " gets a gradient");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RNN_TANH", "LSTM", "GRU"})
    void carryingTheStateAcrossChunksEqualsOneLongSequence(Mode mode) {
        CharLanguageModel m = model(mode, 7, 2);
        int[] seq = {1, 4, 0, 6, 3, 2, 5, 1};
        float[] whole = m.forward(Tensor.ofInts(seq, 1, 8)).toFloatArray();
        CharLanguageModel.Output first = m.forward(Tensor.ofInts(java.util.Arrays.copyOf(seq, 5), 1, 5), null);
        CharLanguageModel.Output second = m.forward(Tensor.ofInts(java.util.Arrays.copyOfRange(seq, 5, 8), 1, 3),
                first.state().detach());
        float[] halves = new float[whole.length];
        System.arraycopy(first.logits().toFloatArray(), 0, halves, 0, 35);
        System.arraycopy(second.logits().toFloatArray(), 0, halves, 35, 21);
        assertArrayEquals(whole, halves, 1e-5f);
    }

    @Test
    void perplexityIsTheExponentialOfTheMeanCrossEntropy() {
        CharLanguageModel m = model(Mode.GRU, 7, 3);
        int[] tokens = new int[300];
        for (int i = 0; i < tokens.length; i++) tokens[i] = (i * 5) % 7;
        double ce = m.crossEntropy(tokens);   // over 299 predictions, read in two chunks
        assertEquals(Math.exp(ce), m.perplexity(tokens), 1e-9);
        assertTrue(Double.isFinite(ce) && ce > 0);
        // The long-sequence path agrees with the logits of one forward pass.
        Tensor logits = m.forward(Tensor.ofInts(java.util.Arrays.copyOf(tokens, 299), 1, 299)).reshape(299, 7);
        int[] targets = java.util.Arrays.copyOfRange(tokens, 1, 300);
        double direct = Losses.crossEntropy(logits, Tensor.ofInts(targets, 299), Losses.CrossEntropyOptions.defaults()).item();
        assertEquals(direct, ce, 1e-4);
    }

    @Test
    void truncatedBpttLearnsAPeriodicText() {
        int[] tokens = new int[600];
        for (int i = 0; i < tokens.length; i++) tokens[i] = "abcadbe".charAt(i % 7) - 'a';
        Generator gen = new Generator(4);
        CharLanguageModel m = new CharLanguageModel(5, CharLanguageModel.Options.of(Mode.LSTM, 8, 16), gen);
        double before = m.perplexity(tokens);
        var opt = new Optimizer<>(m.parameters(), Adam.of(0.03));
        var o = new CharLanguageModel.TrainOptions(4, 10, 1.0);
        for (int epoch = 0; epoch < 8; epoch++) m.trainEpoch(tokens, opt, o, gen);
        double after = m.perplexity(tokens);
        // After "a" comes b or d, after "b" c or e: only the character before that decides (a bigram cannot).
        assertTrue(before > 4 && after < 1.2, "perplexity " + before + " → " + after);
    }

    @Test
    void theSplitHoldsOutTheLastBlocks() {
        TextCorpus corpus = TextCorpus.of("《一》\n春风\n\n《二》\n秋月\n\n《三》\n夏雨\n\n《四》\n冬雪\n");
        CharLanguageModel.TextSplit split = CharLanguageModel.TextSplit.lastBlocks(corpus, 0.25);
        assertEquals("《一》\n春风\n\n《二》\n秋月\n\n《三》\n夏雨\n\n", corpus.decode(split.train()));
        assertEquals("《四》\n冬雪\n", corpus.decode(split.validation()));
        assertThrows(IllegalArgumentException.class, () -> CharLanguageModel.TextSplit.lastBlocks(corpus, 0.05));
    }

    @Test
    void badOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> CharLanguageModel.Options.of(Mode.LSTM, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> CharLanguageModel.Options.of(Mode.LSTM, 4, 5).withDropout(1));
        assertThrows(IllegalArgumentException.class, () -> new CharLanguageModel.TrainOptions(4, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> model(Mode.GRU, 7, 1).crossEntropy(new int[] {1}));
    }

    private static double absSum(Tensor t) {
        double s = 0;
        for (float v : t.toFloatArray()) s += Math.abs(v);
        return s;
    }
}
