package io.shendu.cli.demo;

import io.shendu.data.DataLoader;
import io.shendu.data.Mnist;
import io.shendu.data.Split;
import io.shendu.data.TensorDataset;
import io.shendu.models.MLP;
import io.shendu.nn.CrossEntropyLoss;
import io.shendu.nn.Module;
import io.shendu.nn.ReLU;
import io.shendu.optim.Adadelta;
import io.shendu.optim.Adagrad;
import io.shendu.optim.Adam;
import io.shendu.optim.Optimizer;
import io.shendu.optim.RMSprop;
import io.shendu.optim.SGD;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import io.shendu.train.BatchLogs;
import io.shendu.train.Callback;
import io.shendu.train.NonFiniteLossException;
import io.shendu.train.Trainer;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Lecture: the optimizer table. The six update rules (SGD, Momentum, Adagrad, Adadelta, RMSprop, Adam) train
 * the same network (an MLP 784-64-10, same initial weights) on the same digits in the same order; their
 * training-loss curves go into one figure, {@code optimizers.png}. {@link LearningRateDemo} uses the same problem.
 */
public final class OptimizersDemo implements Demo {

    /** One rule of the table: its name, the update as the lecture writes it, and how to build it. */
    private record Rule(String label, String update, Function<List<Tensor>, Optimizer<?>> optimizer) {}

    private static final List<Rule> TABLE = List.of(
            new Rule("SGD α=0.1", "θ −= α·g", p -> new Optimizer<>(p, SGD.of(0.1))),
            new Rule("Momentum α=0.1 γ=0.9", "m = γm + (1−γ)g;  θ −= α·m", p -> new Optimizer<>(p, SGD.emaMomentum(0.1, 0.9))),
            new Rule("Adagrad α=0.01", "s += g²;  θ −= α·g/(√s + ε)", p -> new Optimizer<>(p, Adagrad.of(0.01))),
            new Rule("Adadelta α=1", "v = ρv + (1−ρ)g²;  Δ = √(u+ε)/√(v+ε)·g;  u = ρu + (1−ρ)Δ²;  θ −= α·Δ",
                    p -> new Optimizer<>(p, Adadelta.of(1.0))),
            new Rule("RMSprop α=0.001", "v = βv + (1−β)g²;  θ −= α·g/(√v + ε)", p -> new Optimizer<>(p, RMSprop.of(0.001))),
            new Rule("Adam α=0.001", "m = β₁m + (1−β₁)g;  v = β₂v + (1−β₂)g²;  θ −= α·m̂/(√v̂ + ε)", p -> new Optimizer<>(p, Adam.of(0.001))));

    /** The shared problem: digits, the loaders, how long to train. */
    record Problem(DataLoader train, DataLoader test, int epochs, long seed) {
        static Problem digits(DemoContext ctx) {
            TensorDataset train = Mnist.embedded(Split.TRAIN).subset(0, ctx.quick() ? 1000 : 4000);
            TensorDataset test = Mnist.embedded(Split.TEST).subset(0, ctx.quick() ? 500 : 2000);
            DataLoader.Options o = DataLoader.Options.of(50).withShuffle(true).withSeed(ctx.seed());
            return new Problem(new DataLoader(train, o), new DataLoader(test, DataLoader.Options.of(500)), ctx.quick() ? 1 : 3, ctx.seed());
        }

        int steps() {
            return epochs * train.numBatches();
        }
    }

    /**
     * A training run: the loss averaged over windows of steps (x: the window's last step), the mean loss of the
     * last window, the test accuracy, and the step where the loss became infinite or NaN (0 if it never did).
     */
    record Curve(String label, double[] steps, double[] losses, double finalLoss, double testAccuracy, long divergedAt) {}

    @Override
    public String name() {
        return "optimizers";
    }

    @Override
    public String description() {
        return "the six update rules of the table (SGD ... Adam) on one network and data; loss curves in optimizers.png";
    }

    @Override
    public void run(DemoContext ctx) throws Exception {
        PrintWriter out = ctx.out();
        Problem problem = Problem.digits(ctx);
        out.printf("MLP 784-64-10 on %d digits, batch 50, %d steps, the same initial weights and batches for every rule%n",
                problem.train().numBatches() * 50, problem.steps());
        XYChart chart = DemoOutput.lineChart("Six update rules, one network and data", "step", "training loss (mean of 10 steps)");
        chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
        out.printf("%-22s %-14s %-9s %-9s %s%n", "rule", "first loss", "final", "test acc", "update");
        for (Rule rule : TABLE) {
            Curve c = train(rule.label(), rule.optimizer(), problem);
            out.printf(Locale.ROOT, "%-22s %-14.4f %-9.4f %-9.4f %s%n", rule.label(), c.losses()[0], c.finalLoss(), c.testAccuracy(), rule.update());
            chart.addSeries(rule.label(), c.steps(), c.losses()).setMarker(SeriesMarkers.NONE);
        }
        DemoOutput.savePng(ctx, chart, "optimizers.png");
    }

    /** Trains a fresh MLP (initialised from the problem's seed) with the optimizer {@code make} builds. */
    static Curve train(String label, Function<List<Tensor>, Optimizer<?>> make, Problem problem) {
        Module model = new MLP(new int[] {784, 64, 10}, ReLU::new, 0, new Generator(problem.seed()));
        CrossEntropyLoss ce = new CrossEntropyLoss();
        List<Double> losses = new ArrayList<>();
        Callback record = new Callback() {
            @Override
            public void onBatchEnd(Trainer trainer, BatchLogs logs) {
                losses.add(logs.loss());
            }
        };
        Trainer trainer = new Trainer(model, make.apply(model.parameters()), ce::forward, Trainer.Options.epochs(problem.epochs()))
                .withCallbacks(record);
        long diverged = 0;
        try {
            trainer.fit(problem.train(), null);
        } catch (NonFiniteLossException e) {
            diverged = e.step();
        }
        double accuracy = diverged > 0 ? Double.NaN : trainer.evaluate(problem.test()).accuracy();
        return window(label, losses, 10, accuracy, diverged);
    }

    private static Curve window(String label, List<Double> losses, int size, double accuracy, long diverged) {
        int n = Math.max(1, (losses.size() + size - 1) / size);
        double[] x = new double[n], y = new double[n];
        for (int w = 0; w < n; w++) {
            int from = w * size, to = Math.min(losses.size(), from + size);
            double sum = 0;
            for (int i = from; i < to; i++) sum += losses.get(i);
            x[w] = to;
            y[w] = to > from ? sum / (to - from) : Double.NaN;
        }
        return new Curve(label, x, y, y[n - 1], accuracy, diverged);
    }
}
