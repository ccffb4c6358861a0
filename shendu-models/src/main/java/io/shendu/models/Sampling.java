package io.shendu.models;

import io.shendu.autograd.NoGrad;
import io.shendu.data.TextCorpus;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * Drawing text from a language model. Temperature τ reshapes the model's distribution before the draw,
 * {@code p_i ∝ exp(logit_i / τ)}: τ = 1 samples the model as it is, τ &lt; 1 sharpens it towards the likeliest
 * characters, τ → 0 is greedy (argmax), τ &gt; 1 flattens it. Every draw takes its numbers from the
 * {@link Generator} passed in, so one seed gives one text.
 */
public final class Sampling {

    private Sampling() {}

    /** An index drawn from {@code softmax(logits / temperature)}; temperature 0 picks the argmax (first on ties). */
    public static int sample(float[] logits, double temperature, Generator gen) {
        if (logits.length == 0) throw new IllegalArgumentException("sample: no logits");
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("sample: temperature must be finite and >= 0, got " + temperature);
        }
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        if (temperature == 0) return best;
        // Subtracting the maximum keeps exp() finite; weights are then in (0, 1].
        double[] cumulative = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            sum += Math.exp((logits[i] - logits[best]) / temperature);
            cumulative[i] = sum;
        }
        double u = gen.nextDouble() * sum;
        for (int i = 0; i < logits.length; i++) if (u < cumulative[i]) return i;
        return logits.length - 1;
    }

    /**
     * Feeds {@code prompt} to the model, then draws up to {@code maxLength} characters one at a time, each fed
     * back as the next input; stops early after {@code stop} is produced (null: never). Returns the prompt and
     * the drawn characters. The model is left in eval mode.
     */
    public static String generate(CharLanguageModel model, TextCorpus corpus, String prompt, int maxLength, String stop,
                                  double temperature, Generator gen) {
        if (prompt.isEmpty()) throw new IllegalArgumentException("generate: the prompt must have at least one character");
        model.eval();
        StringBuilder text = new StringBuilder(prompt);
        try (var _ = NoGrad.enter()) {
            int[] input = corpus.encode(prompt);
            CharLanguageModel.State state = null;
            for (int n = 0; n < maxLength; n++) {
                CharLanguageModel.Output out = model.forward(Tensor.ofInts(input, 1, input.length), state);
                state = out.state();
                Tensor last = out.logits().select(1, input.length - 1).reshape(-1);
                int next = sample(last.toFloatArray(), temperature, gen);
                text.append(corpus.character(next));
                if (stop != null && text.length() >= prompt.length() + stop.length() && text.toString().endsWith(stop)) break;
                input = new int[] {next};
            }
        }
        return text.toString();
    }
}
