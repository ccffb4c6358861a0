package io.shendu.models;

import io.shendu.autograd.NoGrad;
import io.shendu.nn.Linear;
import io.shendu.nn.Losses;
import io.shendu.nn.Module;
import io.shendu.nn.RNN;
import io.shendu.nn.Recurrent;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The lecture's next-word predictor: a vanilla recurrent network over one-hot words x_t,
 * <pre>
 *   h_t = tanh(W_xh x_t + W_hh h_{t−1} + b),   y_t = W_hy h_t,   p(w_{t+1} | w_1 … w_t) = softmax(y_t)
 * </pre>
 * with {@code W_xh = rnn.weight_ih_l0 [H, V]}, {@code W_hh = rnn.weight_hh_l0 [H, H]},
 * {@code b = rnn.bias_ih_l0 + rnn.bias_hh_l0}, {@code W_hy = output.weight [V, H]} (no bias), h_0 = 0. Trained by
 * backpropagation through time over whole sentences. Words {@code [B, T]} int32 → logits {@code [B, T, V]}.
 */
public final class WordRnnLm extends Module {

    /** A predicted word and the probability the model gave it. */
    public record Prediction(String word, double probability) {}

    private static final int IGNORE = -100;

    private final List<String> vocabulary;
    private final Map<String, Integer> index = new HashMap<>();
    private final RNN rnn;
    private final Linear output;

    public WordRnnLm(List<String> vocabulary, int hiddenSize, Generator gen) {
        if (vocabulary.isEmpty()) throw new IllegalArgumentException("WordRnnLm: the vocabulary is empty");
        this.vocabulary = List.copyOf(vocabulary);
        for (String w : this.vocabulary) {
            if (index.putIfAbsent(w, index.size()) != null) throw new IllegalArgumentException("WordRnnLm: '" + w + "' is twice in the vocabulary");
        }
        rnn = registerModule("rnn", new RNN(vocabulary.size(), hiddenSize, RNN.Nonlinearity.TANH,
                Recurrent.Options.DEFAULTS.withBatchFirst(true), gen));
        output = registerModule("output", new Linear(hiddenSize, vocabulary.size(), false, gen));
    }

    /** The words of a sentence written with separators: {@code "今天 | 下午 | 我"} → [今天, 下午, 我]. */
    public static List<String> words(String sentence) {
        return Arrays.stream(sentence.split("[|\\s]+")).filter(w -> !w.isEmpty()).toList();
    }

    /** The distinct words of the sentences, in order of first appearance. */
    public static List<String> vocabularyOf(List<List<String>> sentences) {
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        sentences.forEach(seen::addAll);
        return List.copyOf(seen);
    }

    public List<String> vocabulary() {
        return vocabulary;
    }

    /** Logits {@code [B, T, V]} for word indices {@code [B, T]}, from h_0 = 0. */
    @Override
    public Tensor forward(Tensor words) {
        return forward(words, null)[0];
    }

    /** Logits {@code [B, T, V]} and the final state {@code [1, B, H]}, starting from {@code h0} (null: zeros). */
    private Tensor[] forward(Tensor words, Tensor h0) {
        Recurrent.Result r = rnn.forward(words.oneHot(vocabulary.size()), h0);
        return new Tensor[] {output.call(r.output()), r.h()};
    }

    /**
     * The mean cross-entropy of predicting every word of every sentence from the words before it. The sentences
     * form one batch, padded at the end; padded positions are ignored.
     */
    public Tensor loss(List<List<String>> sentences) {
        int steps = sentences.stream().mapToInt(List::size).max().orElse(0) - 1;
        if (steps < 1) throw new IllegalArgumentException("WordRnnLm.loss: need a sentence of at least two words");
        int batch = sentences.size();
        int[] inputs = new int[batch * steps], targets = new int[batch * steps];
        Arrays.fill(targets, IGNORE);
        for (int b = 0; b < batch; b++) {
            int[] ids = encode(sentences.get(b));
            for (int t = 0; t + 1 < ids.length; t++) {
                inputs[b * steps + t] = ids[t];
                targets[b * steps + t] = ids[t + 1];
            }
        }
        Tensor logits = forward(Tensor.ofInts(inputs, batch, steps));
        return Losses.crossEntropy(logits.reshape(-1, vocabulary.size()), Tensor.ofInts(targets, batch * steps),
                Losses.CrossEntropyOptions.defaults().withIgnoreIndex(IGNORE));
    }

    /** {@code steps} optimizer steps of full BPTT on all sentences at once; returns the loss before each step. */
    public double[] fit(List<List<String>> sentences, Optimizer<?> optimizer, int steps) {
        train();
        double[] losses = new double[steps];
        for (int i = 0; i < steps; i++) {
            Tensor loss = loss(sentences);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            losses[i] = loss.item();
        }
        return losses;
    }

    /**
     * Continues {@code prefix} greedily — each step appends the likeliest next word and feeds it back — until
     * {@code end} is produced or {@code maxWords} words are added. Returns the added words with their probabilities.
     */
    public List<Prediction> continueSentence(List<String> prefix, String end, int maxWords) {
        if (prefix.isEmpty()) throw new IllegalArgumentException("continueSentence: the prefix is empty");
        eval();
        List<Prediction> out = new ArrayList<>();
        try (var _ = NoGrad.enter()) {
            int[] input = encode(prefix);
            Tensor h = null;
            while (out.size() < maxWords) {
                Tensor[] step = forward(Tensor.ofInts(input, 1, input.length), h);
                h = step[1];
                float[] p = step[0].select(1, input.length - 1).reshape(-1).softmax(0).toFloatArray();
                int next = Sampling.sample(p, 0, null);
                out.add(new Prediction(vocabulary.get(next), p[next]));
                if (vocabulary.get(next).equals(end)) break;
                input = new int[] {next};
            }
        }
        return out;
    }

    private int[] encode(List<String> words) {
        int[] ids = new int[words.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = index.get(words.get(i));
            if (id == null) throw new IllegalArgumentException("WordRnnLm: '" + words.get(i) + "' is not in the vocabulary " + vocabulary);
            ids[i] = id;
        }
        return ids;
    }

    @Override
    public String describe() {
        return "WordRnnLm(vocab=" + vocabulary.size() + ", hidden=" + rnn.hiddenSize() + ")";
    }
}
