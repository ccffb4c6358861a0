package io.shendu.models;

import io.shendu.autograd.NoGrad;
import io.shendu.data.TextCorpus;
import io.shendu.nn.Dropout;
import io.shendu.nn.Embedding;
import io.shendu.nn.GRU;
import io.shendu.nn.LSTM;
import io.shendu.nn.Linear;
import io.shendu.nn.Losses;
import io.shendu.nn.Module;
import io.shendu.nn.RNN;
import io.shendu.nn.Recurrent;
import io.shendu.nn.Reduction;
import io.shendu.optim.GradClip;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A character-level language model, as PyTorch's {@code word_language_model} example: an embedding
 * ({@code encoder}), a recurrent network ({@code rnn}: RNN, LSTM or GRU) and a linear read-out ({@code decoder}):
 * <pre>
 *   e_t = E[x_t],   h_t = cell(e_t, h_{t−1}),   logits_t = W h_t + b,   p(x_{t+1} | x_≤t) = softmax(logits_t)
 * </pre>
 * Tokens {@code [B, T]} int32 → logits {@code [B, T, V]}. Dropout (when the options ask for it) acts on the
 * embeddings and on the recurrent outputs in training. Trained by truncated backpropagation through time
 * ({@link #trainEpoch}); evaluated by perplexity, {@code exp} of the mean cross-entropy per predicted token.
 */
public final class CharLanguageModel extends Module {

    /**
     * The architecture: recurrent {@code mode} (RNN_TANH, RNN_RELU, LSTM or GRU), embedding and hidden sizes,
     * stacked layers, and the dropout probability.
     */
    public record Options(Recurrent.Mode mode, int embeddingDim, int hiddenSize, int numLayers, double dropout) {
        public Options {
            if (embeddingDim <= 0 || hiddenSize <= 0 || numLayers <= 0) {
                throw new IllegalArgumentException("CharLanguageModel.Options: sizes must be positive, got embeddingDim="
                        + embeddingDim + " hiddenSize=" + hiddenSize + " numLayers=" + numLayers);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("CharLanguageModel.Options: dropout must be in [0, 1), got " + dropout);
            }
        }

        /** One layer, no dropout. */
        public static Options of(Recurrent.Mode mode, int embeddingDim, int hiddenSize) {
            return new Options(mode, embeddingDim, hiddenSize, 1, 0);
        }

        public Options withNumLayers(int n) {
            return new Options(mode, embeddingDim, hiddenSize, n, dropout);
        }

        public Options withDropout(double p) {
            return new Options(mode, embeddingDim, hiddenSize, numLayers, p);
        }
    }

    /** Truncated BPTT: {@code batchSize} parallel streams, chunks of {@code bptt} steps, gradient-norm clipping. */
    public record TrainOptions(int batchSize, int bptt, double clipGradNorm) {
        public TrainOptions {
            if (batchSize <= 0 || bptt <= 0 || !(clipGradNorm > 0)) {
                throw new IllegalArgumentException("CharLanguageModel.TrainOptions: batchSize, bptt and clipGradNorm must be "
                        + "positive, got " + batchSize + ", " + bptt + ", " + clipGradNorm);
            }
        }
    }

    /** The recurrent state carried between calls: {@code h} and (LSTM only) {@code c}, {@code [layers, B, H]}. */
    public record State(Tensor h, Tensor c) {
        /** The same values cut from the graph: the next chunk's gradients stop here (truncated BPTT). */
        public State detach() {
            return new State(h.detach(), c == null ? null : c.detach());
        }
    }

    /** The logits {@code [B, T, V]} and the state after the last step. */
    public record Output(Tensor logits, State state) {}

    /** A text cut in two, as token sequences. */
    public record TextSplit(int[] train, int[] validation) {

        /**
         * Cuts {@code corpus} before its last {@code round(fraction · blocks)} blank-line-separated blocks (for the
         * Tang poems: poems), so that validation text is whole poems the model never trained on. Deterministic.
         */
        public static TextSplit lastBlocks(TextCorpus corpus, double fraction) {
            if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("lastBlocks: fraction must be in (0, 1), got " + fraction);
            String text = corpus.text();
            List<Integer> starts = new ArrayList<>(List.of(0));
            for (int i = text.indexOf("\n\n"); i >= 0; i = text.indexOf("\n\n", i + 2)) starts.add(i + 2);
            int held = (int) Math.round(fraction * starts.size());
            if (held < 1 || held >= starts.size()) {
                throw new IllegalArgumentException("lastBlocks: cannot hold out " + fraction + " of " + starts.size() + " blocks");
            }
            int cut = text.codePointCount(0, starts.get(starts.size() - held));
            int[] tokens = corpus.tokens();
            return new TextSplit(Arrays.copyOf(tokens, cut), Arrays.copyOfRange(tokens, cut, tokens.length));
        }
    }

    private final Options options;
    private final int vocabSize;
    private final Embedding encoder;
    private final Recurrent rnn;
    private final Dropout dropout;
    private final Linear decoder;

    public CharLanguageModel(int vocabSize, Options options, Generator gen) {
        this.options = options;
        this.vocabSize = vocabSize;
        encoder = registerModule("encoder", new Embedding(vocabSize, options.embeddingDim(), gen));
        var rnnOptions = Recurrent.Options.DEFAULTS.withBatchFirst(true).withNumLayers(options.numLayers())
                .withDropout(options.dropout());
        int in = options.embeddingDim(), hidden = options.hiddenSize();
        rnn = registerModule("rnn", switch (options.mode()) {
            case RNN_TANH -> new RNN(in, hidden, RNN.Nonlinearity.TANH, rnnOptions, gen.split());
            case RNN_RELU -> new RNN(in, hidden, RNN.Nonlinearity.RELU, rnnOptions, gen.split());
            case LSTM -> new LSTM(in, hidden, rnnOptions, gen.split());
            case GRU -> new GRU(in, hidden, rnnOptions, gen.split());
        });
        dropout = registerModule("dropout", new Dropout(options.dropout(), gen.split()));
        decoder = registerModule("decoder", new Linear(hidden, vocabSize, true, gen));
    }

    public Options options() {
        return options;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** Logits {@code [B, T, V]} for tokens {@code [B, T]}, from zero initial states. */
    @Override
    public Tensor forward(Tensor tokens) {
        return forward(tokens, null).logits();
    }

    /** Logits and final state for tokens {@code [B, T]}, starting from {@code state} (null: zeros). */
    public Output forward(Tensor tokens, State state) {
        Tensor x = dropout.call(encoder.call(tokens));
        Tensor h0 = state == null ? null : state.h(), c0 = state == null ? null : state.c();
        Recurrent.Result r = switch (rnn) {
            case LSTM lstm -> lstm.forward(x, h0, c0);
            case RNN plain -> plain.forward(x, h0);
            case GRU gru -> gru.forward(x, h0);
        };
        return new Output(decoder.call(dropout.call(r.output())), new State(r.h(), r.c()));
    }

    /**
     * One epoch of truncated BPTT over {@code tokens}: the text is cut into {@code batchSize} equal streams
     * (after a random shift of fewer than {@code bptt} tokens, so chunk boundaries move from epoch to epoch), and
     * the streams are walked in chunks of {@code bptt} steps. Each chunk starts from the previous chunk's final
     * state, detached, so gradients flow back at most {@code bptt} steps. Returns the mean training
     * cross-entropy (nats per token).
     */
    public double trainEpoch(int[] tokens, Optimizer<?> optimizer, TrainOptions o, Generator gen) {
        int shift = gen.nextInt(o.bptt());
        int streamLength = (tokens.length - shift - 1) / o.batchSize();
        if (streamLength < 1) {
            throw new IllegalArgumentException("trainEpoch: " + tokens.length + " tokens are too few for " + o.batchSize() + " streams");
        }
        train();
        State state = null;
        double total = 0;
        int count = 0;
        for (int start = 0; start < streamLength; start += o.bptt()) {
            int steps = Math.min(o.bptt(), streamLength - start);
            int[] from = new int[o.batchSize()];
            for (int b = 0; b < from.length; b++) from[b] = shift + b * streamLength + start;
            Tensor[] chunk = chunk(tokens, from, steps);
            Output out = forward(chunk[0], state);
            Tensor loss = loss(out.logits(), chunk[1], Reduction.MEAN);
            optimizer.zeroGrad();
            loss.backward();
            GradClip.clipGradNorm(parameters(), o.clipGradNorm());
            optimizer.step();
            state = out.state().detach();
            total += loss.item() * steps;
            count += steps;
        }
        return total / count;
    }

    /** Inputs {@code [B, steps]} from {@code tokens[from[b] ...]}, and the targets one token further on. */
    private static Tensor[] chunk(int[] tokens, int[] from, int steps) {
        int batch = from.length;
        int[] inputs = new int[batch * steps], targets = new int[batch * steps];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(tokens, from[b], inputs, b * steps, steps);
            System.arraycopy(tokens, from[b] + 1, targets, b * steps, steps);
        }
        return new Tensor[] {Tensor.ofInts(inputs, batch, steps), Tensor.ofInts(targets, batch, steps)};
    }

    private Tensor loss(Tensor logits, Tensor targets, Reduction reduction) {
        return Losses.crossEntropy(logits.reshape(-1, vocabSize), targets.reshape(-1),
                Losses.CrossEntropyOptions.defaults().withReduction(reduction));
    }

    /**
     * The mean cross-entropy, in nats, of predicting {@code tokens[1..n−1]} each from all the tokens before it:
     * one stream, read in chunks of 256 with the state carried over, in eval mode (no dropout). Leaves the model
     * in eval mode.
     */
    public double crossEntropy(int[] tokens) {
        if (tokens.length < 2) throw new IllegalArgumentException("crossEntropy: need at least 2 tokens, got " + tokens.length);
        eval();
        double total = 0;
        try (var _ = NoGrad.enter()) {
            State state = null;
            for (int start = 0; start < tokens.length - 1; start += 256) {
                int steps = Math.min(256, tokens.length - 1 - start);
                Tensor[] chunk = chunk(tokens, new int[] {start}, steps);
                Output out = forward(chunk[0], state);
                total += loss(out.logits(), chunk[1], Reduction.SUM).item();
                state = out.state();
            }
        }
        return total / (tokens.length - 1);
    }

    /** {@code exp(crossEntropy(tokens))}: the effective number of equally likely next characters. */
    public double perplexity(int[] tokens) {
        return Math.exp(crossEntropy(tokens));
    }

    @Override
    public String describe() {
        return "CharLanguageModel(" + options.mode() + ", vocab=" + vocabSize + ", embedding=" + options.embeddingDim()
                + ", hidden=" + options.hiddenSize() + ", layers=" + options.numLayers() + ", dropout=" + options.dropout() + ")";
    }
}
