package io.shendu.cli;

import io.shendu.optim.Adadelta;
import io.shendu.optim.Adagrad;
import io.shendu.optim.Adam;
import io.shendu.optim.AdamW;
import io.shendu.optim.CosineAnnealingLR;
import io.shendu.optim.LRScheduler;
import io.shendu.optim.LinearLR;
import io.shendu.optim.OneCycleLR;
import io.shendu.optim.Optimizer;
import io.shendu.optim.RMSprop;
import io.shendu.optim.SGD;
import io.shendu.optim.SequentialLR;
import io.shendu.optim.StepLR;
import io.shendu.tensor.Tensor;

import java.util.List;
import java.util.Locale;

/** Optimizers and schedules by the names the command line takes. */
final class OptimizerFactory {

    static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "adagrad", "adadelta", "rmsprop", "adam", "adamw");

    private OptimizerFactory() {}

    /** The named optimizer over {@code params}; {@code lr} null means the optimizer's usual value. */
    static Optimizer<?> create(String name, List<Tensor> params, Double lr) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> new Optimizer<>(params, SGD.of(or(lr, 0.1)));
            case "momentum" -> new Optimizer<>(params, SGD.of(or(lr, 0.05)).withMomentum(0.9));
            case "adagrad" -> new Optimizer<>(params, Adagrad.of(or(lr, 0.01)));
            case "adadelta" -> new Optimizer<>(params, Adadelta.of(or(lr, 1.0)));
            case "rmsprop" -> new Optimizer<>(params, RMSprop.of(or(lr, 1e-3)));
            case "adam" -> new Optimizer<>(params, Adam.of(or(lr, 1e-3)));
            case "adamw" -> new Optimizer<>(params, AdamW.of(or(lr, 1e-3)));
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; known: " + String.join(", ", OPTIMIZERS));
        };
    }

    /** The named schedule (null for none); {@code perBatch} schedules count batches, the others epochs. */
    static LRScheduler schedule(String name, Optimizer<?> opt, int epochs, int batchesPerEpoch) {
        double lr = opt.paramGroups().get(0).lr();
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> null;
            case "step" -> new StepLR(opt, Math.max(1, epochs / 3), 0.1);
            case "cosine" -> new CosineAnnealingLR(opt, Math.max(1, epochs), 0);
            case "onecycle" -> new OneCycleLR(opt, lr, Math.max(1, epochs * batchesPerEpoch), OneCycleLR.OneCycleOptions.defaults());
            case "warmup-cosine" -> {
                int warm = Math.max(1, epochs / 5);
                yield new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1.0, warm),
                        new CosineAnnealingLR(opt, Math.max(1, epochs - warm), 0)), new int[] {warm});
            }
            default -> throw new IllegalArgumentException("unknown schedule '" + name + "'; known: none, step, cosine, onecycle, warmup-cosine");
        };
    }

    /** Multiplies every group's learning rate by {@code factor}. */
    static void scaleLr(Optimizer<?> opt, double factor) {
        opt.paramGroups().forEach(g -> g.setLr(g.lr() * factor));
    }

    static boolean perBatch(String schedule) {
        return schedule.equalsIgnoreCase("onecycle");
    }

    private static double or(Double v, double fallback) {
        return v == null ? fallback : v;
    }
}
