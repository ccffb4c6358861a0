package io.shendu.cli.demo;

import io.shendu.cli.demo.OptimizersDemo.Curve;
import io.shendu.cli.demo.OptimizersDemo.Problem;
import io.shendu.optim.Optimizer;
import io.shendu.optim.SGD;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Lecture: the learning rate matters as much as the rule. Plain SGD on the problem of {@link OptimizersDemo} at
 * four learning rates: too small (the loss creeps down), good, too large (it bounces and stalls high), far too
 * large (it diverges). The curves go into {@code learning-rate.png}.
 */
public final class LearningRateDemo implements Demo {

    private static final double[] RATES = {0.001, 0.5, 1.5, 20};
    private static final String[] VERDICTS = {"too small", "good", "too large", "far too large"};

    @Override
    public String name() {
        return "learning-rate";
    }

    @Override
    public String description() {
        return "one optimizer at too small / good / too large learning rates; curves in learning-rate.png";
    }

    @Override
    public void run(DemoContext ctx) throws Exception {
        PrintWriter out = ctx.out();
        Problem problem = Problem.digits(ctx);
        out.printf("SGD on the MLP 784-64-10 and digits of the optimizers demo, %d steps%n", problem.steps());
        XYChart chart = DemoOutput.lineChart("SGD at four learning rates", "step", "training loss (mean of 10 steps)");
        chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
        chart.getStyler().setYAxisLogarithmic(true);
        out.printf("%-8s %-14s %-10s %-10s %s%n", "lr", "verdict", "first loss", "final", "test acc");
        for (int i = 0; i < RATES.length; i++) {
            double lr = RATES[i];
            String label = "α = " + DemoOutput.shortNum(lr) + " (" + VERDICTS[i] + ")";
            Curve c = OptimizersDemo.train(label, p -> new Optimizer<>(p, SGD.of(lr)), problem);
            String last = c.divergedAt() > 0 ? "diverged (loss not finite at step " + c.divergedAt() + ")"
                    : String.format(Locale.ROOT, "%-10.4f %.4f", c.finalLoss(), c.testAccuracy());
            out.printf(Locale.ROOT, "%-8s %-14s %-10.4f %s%n", DemoOutput.shortNum(lr), VERDICTS[i], c.losses()[0], last);
            // The trainer stops at the first loss that is not finite, so every recorded window can be drawn.
            chart.addSeries(label, c.steps(), c.losses()).setMarker(SeriesMarkers.NONE);
        }
        DemoOutput.savePng(ctx, chart, "learning-rate.png");
    }
}
