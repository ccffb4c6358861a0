package io.shendu.cli.demo;

import io.shendu.data.TangPoems;
import io.shendu.data.TextCorpus;
import io.shendu.models.CharLanguageModel;
import io.shendu.models.CharLanguageModel.TextSplit;
import io.shendu.models.NgramBaseline;
import io.shendu.models.Sampling;
import io.shendu.nn.Recurrent.Mode;
import io.shendu.optim.Adam;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Character-level language models on the embedded Tang poems: RNN, LSTM and GRU trained by truncated BPTT with
 * gradient clipping, compared by validation perplexity with add-k unigram and bigram baselines on the same
 * held-out poems; then poems sampled at several temperatures. Draws {@code char-lm.png} (validation perplexity
 * per epoch).
 */
public final class CharLmDemo implements Demo {

    /** The held-out share of the poems (the last ones in the file). */
    static final double VALIDATION_FRACTION = 0.1;

    /** The training recipe; {@code trainTokens} ≤ 0 uses the whole training text. */
    record Recipe(int embeddingDim, int hiddenSize, int batchSize, int bptt, double lr, double clip, double dropout,
                  int epochs, int trainTokens) {

        static Recipe full() {
            return new Recipe(64, 256, 16, 32, 0.005, 1.0, 0.4, 5, 0);
        }

        /** For the tests: one epoch over the first 5,000 training characters, a smaller network. */
        static Recipe quick() {
            return new Recipe(32, 64, 8, 32, 0.01, 1.0, 0, 1, 5_000);
        }
    }

    /** One trained model: validation perplexity after each epoch, the best one (whose weights it keeps), times. */
    record Run(String label, CharLanguageModel model, double[] trainPerplexity, double[] validationPerplexity,
               int bestEpoch, double seconds, double cpuSeconds) {
        double best() {
            return validationPerplexity[bestEpoch - 1];
        }
    }

    @Override
    public String name() {
        return "char-lm";
    }

    @Override
    public String description() {
        return "RNN vs LSTM vs GRU character models of the Tang poems: validation perplexity, baselines, samples";
    }

    @Override
    public void run(DemoContext ctx) throws Exception {
        PrintWriter out = ctx.out();
        TextCorpus corpus = TangPoems.embedded();
        TextSplit split = TextSplit.lastBlocks(corpus, VALIDATION_FRACTION);
        Recipe recipe = ctx.quick() ? Recipe.quick() : Recipe.full();
        printData(out, corpus, split);

        out.println();
        out.println("Baselines (add-k smoothing; k chosen on the validation poems, which favours the baselines):");
        NgramBaseline unigram = bestK(split, 1, corpus.vocabSize()), bigram = bestK(split, 2, corpus.vocabSize());
        out.printf(Locale.ROOT, "  uniform over %d characters   perplexity %8.1f%n", corpus.vocabSize(), (double) corpus.vocabSize());
        out.printf(Locale.ROOT, "  unigram, k = %-5s           perplexity %8.1f%n", unigram.k(), unigram.perplexity(split.validation()));
        out.printf(Locale.ROOT, "  bigram,  k = %-5s           perplexity %8.1f%n", bigram.k(), bigram.perplexity(split.validation()));

        out.println();
        out.printf(Locale.ROOT, "Training (%s): embedding %d, hidden %d, %d streams × %d-step truncated BPTT, Adam lr %s, clip-norm %s,"
                        + " dropout %s, %d epoch(s), best validation epoch kept%n",
                ctx.quick() ? "quick" : "full", recipe.embeddingDim(), recipe.hiddenSize(), recipe.batchSize(), recipe.bptt(),
                recipe.lr(), recipe.clip(), recipe.dropout(), recipe.epochs());
        List<Run> runs = new ArrayList<>();
        for (Mode mode : new Mode[] {Mode.RNN_TANH, Mode.LSTM, Mode.GRU}) {
            runs.add(train(out, label(mode), mode, recipe, corpus, split, ctx.seed()));
        }

        out.println();
        out.println("Validation perplexity (lower is better):");
        out.printf(Locale.ROOT, "  %-8s %10s %12s %10s %10s%n", "model", "parameters", "perplexity", "wall (s)", "cpu (s)");
        out.printf(Locale.ROOT, "  %-8s %10s %12.1f%n", "unigram", "-", unigram.perplexity(split.validation()));
        out.printf(Locale.ROOT, "  %-8s %10s %12.1f%n", "bigram", "-", bigram.perplexity(split.validation()));
        for (Run r : runs) {
            out.printf(Locale.ROOT, "  %-8s %10d %12.1f %10.1f %10.1f%n", r.label(), r.model().parameterCount(), r.best(), r.seconds(), r.cpuSeconds());
        }
        Run lstm = runs.get(1);
        out.printf(Locale.ROOT, "LSTM / bigram perplexity: %.2f; LSTM / unigram: %.2f%n", lstm.best() / bigram.perplexity(split.validation()),
                lstm.best() / unigram.perplexity(split.validation()));
        plot(ctx, runs, unigram.perplexity(split.validation()), bigram.perplexity(split.validation()));

        out.println();
        printSamples(out, corpus, runs, ctx.seed(), ctx.quick() ? 40 : 120);
    }

    static String label(Mode mode) {
        return mode == Mode.RNN_TANH ? "RNN" : mode.name();
    }

    static void printData(PrintWriter out, TextCorpus corpus, TextSplit split) {
        out.printf(Locale.ROOT, "Tang poems: %,d characters, %,d distinct; training %,d, validation %,d (the last %.0f%% of the poems)%n",
                corpus.length(), corpus.vocabSize(), split.train().length, split.validation().length, 100 * VALIDATION_FRACTION);
    }

    /** The order-n baseline with the k of {1, 0.1, 0.01, 0.001} that gives the lowest validation perplexity. */
    static NgramBaseline bestK(TextSplit split, int order, int vocab) {
        NgramBaseline best = null;
        for (double k : new double[] {1, 0.1, 0.01, 0.001}) {
            NgramBaseline m = order == 1 ? NgramBaseline.unigram(split.train(), vocab, k) : NgramBaseline.bigram(split.train(), vocab, k);
            if (best == null || m.perplexity(split.validation()) < best.perplexity(split.validation())) best = m;
        }
        return best;
    }

    /**
     * Trains one model for the recipe's epochs, printing training and validation perplexity after each, and
     * puts back the weights of the epoch with the lowest validation perplexity.
     */
    static Run train(PrintWriter out, String label, Mode mode, Recipe recipe, TextCorpus corpus, TextSplit split, long seed) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long wall0 = System.nanoTime(), cpu0 = threads.getCurrentThreadCpuTime();
        Generator gen = new Generator(seed);
        var options = new CharLanguageModel.Options(mode, recipe.embeddingDim(), recipe.hiddenSize(), 1, recipe.dropout());
        CharLanguageModel model = new CharLanguageModel(corpus.vocabSize(), options, gen);
        var optimizer = new Optimizer<>(model.parameters(), Adam.of(recipe.lr()));
        var tbptt = new CharLanguageModel.TrainOptions(recipe.batchSize(), recipe.bptt(), recipe.clip());
        int[] train = recipe.trainTokens() > 0 ? Arrays.copyOf(split.train(), Math.min(recipe.trainTokens(), split.train().length))
                : split.train();
        double[] trainPpl = new double[recipe.epochs()], valPpl = new double[recipe.epochs()];
        Map<String, Tensor> best = null;
        int bestEpoch = 0;
        for (int epoch = 1; epoch <= recipe.epochs(); epoch++) {
            trainPpl[epoch - 1] = Math.exp(model.trainEpoch(train, optimizer, tbptt, gen));
            valPpl[epoch - 1] = model.perplexity(split.validation());
            if (best == null || valPpl[epoch - 1] < valPpl[bestEpoch - 1]) {
                best = snapshot(model);
                bestEpoch = epoch;
            }
            out.printf(Locale.ROOT, "  %-4s epoch %d/%d   training perplexity %7.1f   validation perplexity %7.1f   %5.1f s%n", label, epoch,
                    recipe.epochs(), trainPpl[epoch - 1], valPpl[epoch - 1], (System.nanoTime() - wall0) / 1e9);
            out.flush();
        }
        model.loadStateDict(best, true);
        return new Run(label, model, trainPpl, valPpl, bestEpoch, (System.nanoTime() - wall0) / 1e9,
                (threads.getCurrentThreadCpuTime() - cpu0) / 1e9);
    }

    private static Map<String, Tensor> snapshot(CharLanguageModel model) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        model.stateDict().forEach((name, t) -> copy.put(name, t.contiguousCopy()));
        return copy;
    }

    private static void printSamples(PrintWriter out, TextCorpus corpus, List<Run> runs, long seed, int length) {
        for (Run r : runs) {
            out.printf(Locale.ROOT, "%s sample, temperature 0.8, seed %d:%n", r.label(), seed);
            out.println(indent(Sampling.generate(r.model(), corpus, "《", length, "\n\n", 0.8, new Generator(seed))));
        }
        Run lstm = runs.get(1);
        for (double t : new double[] {0.5, 1.2}) {
            out.printf(Locale.ROOT, "LSTM sample, temperature %s, seed %d:%n", t, seed);
            out.println(indent(Sampling.generate(lstm.model(), corpus, "《", length, "\n\n", t, new Generator(seed))));
        }
    }

    static String indent(String text) {
        return "    " + text.strip().replace("\n", "\n    ");
    }

    private static void plot(DemoContext ctx, List<Run> runs, double unigram, double bigram) throws Exception {
        XYChart chart = DemoOutput.lineChart("Tang poems: validation perplexity", "epoch", "perplexity");
        double[] epochs = new double[runs.getFirst().validationPerplexity().length];
        for (int i = 0; i < epochs.length; i++) epochs[i] = i + 1;
        for (Run r : runs) chart.addSeries(r.label(), epochs, r.validationPerplexity()).setMarker(SeriesMarkers.CIRCLE);
        double[] ends = {1, Math.max(2, epochs.length)};
        chart.addSeries("bigram", ends, new double[] {bigram, bigram}).setMarker(SeriesMarkers.NONE);
        chart.addSeries("unigram", ends, new double[] {unigram, unigram}).setMarker(SeriesMarkers.NONE);
        DemoOutput.savePng(ctx, chart, "char-lm.png");
    }
}
