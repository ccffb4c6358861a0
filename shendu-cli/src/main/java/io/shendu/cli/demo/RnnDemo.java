package io.shendu.cli.demo;

import io.shendu.data.TangPoems;
import io.shendu.data.TextCorpus;
import io.shendu.models.CharLanguageModel.TextSplit;
import io.shendu.models.NgramBaseline;
import io.shendu.models.Sampling;
import io.shendu.models.WordRnnLm;
import io.shendu.nn.Recurrent.Mode;
import io.shendu.optim.Adam;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Generator;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The lecture's recurrent network: first the slide's next-word predictor — a vanilla RNN trained by BPTT on
 * "今天 | 下午 | 我 | 要 | 去 | 学校 | 。" and a few more sentences, then asked to continue "今天" — and then the same
 * kind of network at the character level, trained on the Tang poems, writing a poem.
 */
public final class RnnDemo implements Demo {

    /** The slide's sentence first; the others share words with it, so that only the RNN's memory tells them apart. */
    static final List<String> SENTENCES = List.of(
            "今天 | 下午 | 我 | 要 | 去 | 学校 | 。",
            "明天 | 上午 | 我 | 要 | 在 | 家 | 看书 | 。",
            "他 | 今天 | 不 | 去 | 学校 | 。",
            "昨天 | 晚上 | 我们 | 去 | 看 | 电影 | 。",
            "我 | 喜欢 | 看书 | 。");

    static final int HIDDEN = 24, STEPS = 200;
    static final double LR = 0.02;

    @Override
    public String name() {
        return "rnn";
    }

    @Override
    public String description() {
        return "Vanilla RNN: the slide's next-word prediction (今天 → 下午 我 要 去 学校 。) and a Tang-poem sample";
    }

    @Override
    public void run(DemoContext ctx) throws Exception {
        nextWord(ctx.out(), ctx.seed());
        ctx.out().println();
        poem(ctx);
    }

    private static void nextWord(PrintWriter out, long seed) {
        out.println("1. Next-word prediction: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b), y_t = W_hy h_t, p = softmax(y_t)");
        List<List<String>> sentences = SENTENCES.stream().map(WordRnnLm::words).toList();
        out.println("Training sentences:");
        SENTENCES.forEach(s -> out.println("    " + s));
        WordRnnLm model = new WordRnnLm(WordRnnLm.vocabularyOf(sentences), HIDDEN, new Generator(seed));
        out.printf(Locale.ROOT, "Vocabulary: %d words, one-hot x_t; hidden size %d; BPTT through whole sentences, Adam lr %s%n",
                model.vocabulary().size(), HIDDEN, LR);
        long start = System.nanoTime();
        double[] losses = model.fit(sentences, new Optimizer<>(model.parameters(), Adam.of(LR)), STEPS);
        for (int step = 0; step < STEPS; step += STEPS / 5) out.printf(Locale.ROOT, "  step %3d   cross-entropy %.4f%n", step, losses[step]);
        out.printf(Locale.ROOT, "  step %3d   cross-entropy %.4f   (%.2f s)%n", STEPS - 1, losses[STEPS - 1], (System.nanoTime() - start) / 1e9);
        out.println("Greedy continuation (each word the most probable one, fed back as the next input):");
        for (List<String> prefix : List.of(List.of("今天"), List.of("明天"), List.of("他", "今天"))) {
            List<WordRnnLm.Prediction> predicted = model.continueSentence(prefix, "。", 12);
            String sentence = String.join(" | ", prefix) + " | "
                    + predicted.stream().map(WordRnnLm.Prediction::word).collect(Collectors.joining(" | "));
            String probabilities = predicted.stream().map(p -> String.format(Locale.ROOT, "%.3f", p.probability())).collect(Collectors.joining(" "));
            out.printf(Locale.ROOT, "  given %-6s → %s%n", String.join(" ", prefix), sentence);
            out.printf(Locale.ROOT, "  %-12s probabilities %s%n", "", probabilities);
        }
        out.println("The words after \"我 | 要\" differ (去 vs 在): the hidden state still remembers 今天 or 明天.");
    }

    private static void poem(DemoContext ctx) {
        PrintWriter out = ctx.out();
        out.println("2. The same network on characters: the Tang poems, next-character prediction");
        TextCorpus corpus = TangPoems.embedded();
        TextSplit split = TextSplit.lastBlocks(corpus, CharLmDemo.VALIDATION_FRACTION);
        CharLmDemo.printData(out, corpus, split);
        CharLmDemo.Recipe recipe = ctx.quick() ? CharLmDemo.Recipe.quick() : CharLmDemo.Recipe.full();
        CharLmDemo.Run run = CharLmDemo.train(out, "RNN", Mode.RNN_TANH, recipe, corpus, split, ctx.seed());
        NgramBaseline bigram = CharLmDemo.bestK(split, 2, corpus.vocabSize());
        out.printf(Locale.ROOT, "Validation perplexity: RNN %.1f (epoch %d), bigram baseline %.1f; trained in %.1f s%n", run.best(),
                run.bestEpoch(), bigram.perplexity(split.validation()), run.seconds());
        out.printf(Locale.ROOT, "A poem, sampled at temperature 0.8 (seed %d):%n", ctx.seed());
        out.println(CharLmDemo.indent(Sampling.generate(run.model(), corpus, "《", ctx.quick() ? 40 : 120, "\n\n", 0.8,
                new Generator(ctx.seed()))));
    }
}
