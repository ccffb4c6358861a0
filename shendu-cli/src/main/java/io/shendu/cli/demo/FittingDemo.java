package io.shendu.cli.demo;

import io.shendu.autograd.NoGrad;
import io.shendu.data.Batch;
import io.shendu.data.DataLoader;
import io.shendu.data.Dataset;
import io.shendu.models.MLP;
import io.shendu.nn.Linear;
import io.shendu.nn.Losses;
import io.shendu.nn.Module;
import io.shendu.nn.Reduction;
import io.shendu.nn.Tanh;
import io.shendu.optim.Adam;
import io.shendu.optim.Optimizer;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import io.shendu.train.EarlyStopping;
import io.shendu.train.EpochLogs;
import io.shendu.train.History;
import io.shendu.train.LossFunction;
import io.shendu.train.Trainer;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Lecture: under-fitting and over-fitting. Noisy samples of {@code sin(2πx)} on [0, 1]: a straight line
 * under-fits (both errors high), a small network fits, a big network on 20 points over-fits (training error far
 * below validation error, and the validation curve turns up while the training curve keeps falling). Then the
 * lecture's remedies, each applied to the big network: a smaller network, an L2 penalty, dropout, more data,
 * early stopping; each narrows the gap. Figures: {@code fitting.png} (the fits) and {@code fitting-curves.png}
 * (training and validation error per epoch).
 */
public final class FittingDemo implements Demo {

    private static final double NOISE = 0.25;
    private static final int[] BIG = {1, 128, 128, 128, 1}, SMALL = {1, 8, 1};

    /** Points {@code (x, y)} as a data set: inputs {@code [B, 1]}, targets {@code [B]}. */
    private record Points(float[] x, float[] y) implements Dataset {
        static Points sample(int n, Generator gen) {
            float[] x = new float[n], y = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = gen.nextFloat();
                y[i] = (float) (Math.sin(2 * Math.PI * x[i]) + NOISE * gen.nextGaussian());
            }
            return new Points(x, y);
        }

        @Override
        public int size() {
            return x.length;
        }

        @Override
        public Batch batch(int[] indices) {
            float[] bx = new float[indices.length], by = new float[indices.length];
            for (int i = 0; i < indices.length; i++) {
                bx[i] = x[indices[i]];
                by[i] = y[indices[i]];
            }
            return new Batch(Tensor.of(bx, indices.length, 1), Tensor.of(by, indices.length));
        }

        DataLoader loader() {
            return new DataLoader(this, DataLoader.Options.of(x.length));
        }
    }

    /** A regression network's output {@code [B, 1]} as {@code [B]}, the targets' shape. */
    private static final class Regressor extends Module {
        private final Module net;

        Regressor(Module net) {
            this.net = registerModule("net", net);
        }

        @Override
        public Tensor forward(Tensor x) {
            return net.forward(x).reshape(-1);
        }
    }

    /** One experiment: the network, the training points, the L2 weight, whether to stop early. */
    private record Setup(String label, int[] widths, double dropout, double weightDecay, Points train, boolean earlyStop) {}

    /**
     * The outcome: final training and validation error (eval mode), the history, the trained model, and the epoch
     * early stopping went back to (0 without early stopping).
     */
    private record Fit(Setup setup, double train, double val, History history, Module model, int bestEpoch) {
        double gap() {
            return val - train;
        }
    }

    @Override
    public String name() {
        return "fitting";
    }

    @Override
    public String description() {
        return "under-, good and over-fitting (train vs validation), and the remedies: smaller net, L2, dropout, more data, early stopping";
    }

    @Override
    public void run(DemoContext ctx) throws Exception {
        PrintWriter out = ctx.out();
        Generator gen = new Generator(ctx.seed());
        Points few = Points.sample(20, gen), many = Points.sample(200, gen), val = Points.sample(200, gen);
        int epochs = ctx.quick() ? 300 : 1500;
        out.printf(Locale.ROOT, "y = sin(2πx) + noise (σ = %.2f, so the best possible MSE is %.4f); %d training points, %d validation points, Adam, %d full-batch epochs%n",
                NOISE, NOISE * NOISE, few.size(), val.size(), epochs);
        out.printf("%-40s %-10s %-10s %s%n", "model", "train MSE", "val MSE", "gap (val − train)");

        Fit under = fit(new Setup("under-fit: a straight line", null, 0, 0, few, false), val, epochs, ctx, out);
        Fit good = fit(new Setup("good fit: MLP 1-8-1", SMALL, 0, 0, few, false), val, epochs, ctx, out);
        Fit over = fit(new Setup("over-fit: MLP 1-128-128-128-1", BIG, 0, 0, few, false), val, epochs, ctx, out);
        out.println("remedies, each applied to the over-fitting network:");
        out.printf(Locale.ROOT, "%-40s %-10.4f %-10.4f %.4f%n", "  smaller network (the good fit)", good.train(), good.val(), good.gap());
        Fit[] remedies = {
            good,
            fit(new Setup("  L2 penalty λ = 1e-3", BIG, 0, 1e-3, few, false), val, epochs, ctx, out),
            fit(new Setup("  dropout p = 0.2", BIG, 0.2, 0, few, false), val, epochs, ctx, out),
            fit(new Setup("  more data (200 points)", BIG, 0, 0, many, false), val, epochs, ctx, out),
            fit(new Setup("  early stopping", BIG, 0, 0, few, true), val, epochs, ctx, out),
        };
        boolean all = java.util.Arrays.stream(remedies).allMatch(r -> r.gap() < over.gap());
        out.println("every remedy narrows the over-fitting network's gap of " + DemoOutput.num(over.gap()) + ": " + all);
        drawFits(ctx, few, new Fit[] {under, good, over});
        drawCurves(ctx, over, remedies[remedies.length - 1]);
    }

    private static Fit fit(Setup s, Points val, int epochs, DemoContext ctx, PrintWriter out) {
        Generator gen = new Generator(ctx.seed() + 1);
        Module net = s.widths() == null ? new Linear(1, 1, true, gen) : new MLP(s.widths(), Tanh::new, s.dropout(), gen);
        Module model = new Regressor(net);
        LossFunction mse = (y, t) -> Losses.mse(y, t, Reduction.MEAN);
        var optimizer = new Optimizer<>(model.parameters(), Adam.of(0.01).withWeightDecay(s.weightDecay()));
        Trainer trainer = new Trainer(model, optimizer, mse, Trainer.Options.epochs(epochs));
        EarlyStopping stop = new EarlyStopping("val_loss", EarlyStopping.Mode.MIN, 50, 0, true);
        if (s.earlyStop()) trainer.withCallbacks(stop);
        History history = trainer.fit(s.train().loader(), val.loader());
        double train = Trainer.evaluate(model, mse, s.train().loader(), 1).loss();
        double v = Trainer.evaluate(model, mse, val.loader(), 1).loss();
        Fit f = new Fit(s, train, v, history, model, s.earlyStop() ? stop.bestEpoch() : 0);
        String label = s.label() + (s.earlyStop() ? " (best epoch " + stop.bestEpoch() + ")" : "");
        out.printf(Locale.ROOT, "%-40s %-10.4f %-10.4f %.4f%n", label, train, v, f.gap());
        return f;
    }

    private static void drawFits(DemoContext ctx, Points data, Fit[] fits) throws Exception {
        XYChart chart = DemoOutput.lineChart("Under-, good and over-fitting (20 noisy points)", "x", "y");
        chart.getStyler().setLegendPosition(LegendPosition.InsideSW);
        chart.getStyler().setYAxisMin(-2.0).setYAxisMax(2.0);
        int n = 400;
        double[] xs = new double[n], truth = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i / (n - 1.0);
            truth[i] = Math.sin(2 * Math.PI * xs[i]);
        }
        chart.addSeries("sin(2πx)", xs, truth).setMarker(SeriesMarkers.NONE);
        Tensor grid = Tensor.linspace(0, 1, n).reshape(n, 1);
        for (Fit f : fits) {
            f.model().eval();
            float[] y;
            try (NoGrad ignored = NoGrad.enter()) {
                y = f.model().forward(grid).toFloatArray();
            }
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) ys[i] = Math.max(-2, Math.min(2, y[i]));
            chart.addSeries(f.setup().label().replaceFirst(":.*", ""), xs, ys).setMarker(SeriesMarkers.NONE);
        }
        double[] px = new double[data.size()], py = new double[data.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = data.x()[i];
            py[i] = data.y()[i];
        }
        XYSeries points = chart.addSeries("training points", px, py);
        points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        points.setMarker(SeriesMarkers.CIRCLE);
        DemoOutput.savePng(ctx, chart, "fitting.png");
    }

    private static void drawCurves(DemoContext ctx, Fit over, Fit early) throws Exception {
        XYChart chart = DemoOutput.lineChart("Over-fitting: training vs validation error", "epoch", "MSE");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(LegendPosition.InsideSW);
        var epochs = over.history().epochs();
        double[] x = epochs.stream().mapToDouble(EpochLogs::epoch).toArray();
        chart.addSeries("training", x, epochs.stream().mapToDouble(EpochLogs::trainLoss).toArray()).setMarker(SeriesMarkers.NONE);
        chart.addSeries("validation", x, epochs.stream().mapToDouble(EpochLogs::valLoss).toArray()).setMarker(SeriesMarkers.NONE);
        int best = early.bestEpoch();
        double low = epochs.stream().mapToDouble(EpochLogs::trainLoss).min().orElse(1e-3);
        chart.addSeries("early stopping's epoch", new double[] {best, best}, new double[] {low, 10}).setMarker(SeriesMarkers.NONE);
        DemoOutput.savePng(ctx, chart, "fitting-curves.png");
    }
}
