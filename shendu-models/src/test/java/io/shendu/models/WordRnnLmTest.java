package io.shendu.models;

import io.shendu.optim.Adam;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lecture's word-level RNN: shapes, gradients, and learning the slide's sentence. */
class WordRnnLmTest {

    static final List<List<String>> SENTENCES = List.of(
            WordRnnLm.words("今天 | 下午 | 我 | 要 | 去 | 学校 | 。"),
            WordRnnLm.words("明天 | 上午 | 我 | 要 | 在 | 家 | 看书 | 。"),
            WordRnnLm.words("他 | 今天 | 不 | 去 | 学校 | 。"));

    @Test
    void wordsAreSplitAtBarsAndSpaces() {
        assertEquals(List.of("今天", "下午", "我", "要", "去", "学校", "。"), SENTENCES.getFirst());
        assertEquals(List.of("今天", "下午", "我", "要", "去", "学校", "。", "明天", "上午", "在", "家", "看书", "他", "不"),
                WordRnnLm.vocabularyOf(SENTENCES));
    }

    @Test
    void forwardAndBackwardOnATinyBatch() {
        WordRnnLm m = new WordRnnLm(List.of("a", "b", "c", "d"), 6, new Generator(1));
        assertEquals(List.of("rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "output.weight"),
                List.copyOf(m.stateDict().keySet()));
        assertArrayEquals(new int[] {6, 4}, m.stateDict().get("rnn.weight_ih_l0").shape());   // W_xh
        assertArrayEquals(new int[] {4, 6}, m.stateDict().get("output.weight").shape());      // W_hy
        assertArrayEquals(new int[] {2, 3, 4}, m.forward(Tensor.ofInts(new int[] {0, 1, 2, 3, 3, 1}, 2, 3)).shape());
        m.loss(List.of(List.of("a", "b", "c"), List.of("d", "a"))).backward();
        for (Tensor p : m.parameters()) {
            assertNotNull(p.grad());
            assertArrayEquals(p.shape(), p.grad().shape());
        }
    }

    @Test
    void learnsTheSlidesSentence() {
        long start = System.nanoTime();
        WordRnnLm m = new WordRnnLm(WordRnnLm.vocabularyOf(SENTENCES), 24, new Generator(42));
        double[] losses = m.fit(SENTENCES, new Optimizer<>(m.parameters(), Adam.of(0.02)), 200);
        assertTrue(losses[losses.length - 1] < 0.05 * losses[0], "loss " + losses[0] + " → " + losses[losses.length - 1]);
        assertEquals(List.of("下午", "我", "要", "去", "学校", "。"), words(m.continueSentence(List.of("今天"), "。", 10)));
        // The same two words "我 要" continue differently: the hidden state remembers 今天 or 明天.
        assertEquals(List.of("上午", "我", "要", "在", "家", "看书", "。"), words(m.continueSentence(List.of("明天"), "。", 10)));
        assertEquals(List.of("不", "去", "学校", "。"), words(m.continueSentence(List.of("他", "今天"), "。", 10)));
        assertTrue((System.nanoTime() - start) / 1e9 < 10, "a few seconds");
    }

    @Test
    void continuationStopsAtMaxWordsAndRejectsUnknownWords() {
        WordRnnLm m = new WordRnnLm(List.of("a", "b"), 3, new Generator(0));
        assertEquals(4, m.continueSentence(List.of("a"), "never", 4).size());
        assertThrows(IllegalArgumentException.class, () -> m.continueSentence(List.of("z"), "a", 4));
        assertThrows(IllegalArgumentException.class, () -> new WordRnnLm(List.of("a", "a"), 3, new Generator(0)));
    }

    private static List<String> words(List<WordRnnLm.Prediction> predictions) {
        return predictions.stream().map(WordRnnLm.Prediction::word).toList();
    }
}
