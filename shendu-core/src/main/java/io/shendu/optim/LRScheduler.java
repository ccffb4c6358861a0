package io.shendu.optim;

import java.util.Map;

/**
 * A learning-rate schedule over an optimizer's parameter groups, as PyTorch's {@code torch.optim.lr_scheduler}
 * (1.13). Building one sets the lr for step 0; each {@link #step()} (after {@code optimizer.step()}, once per
 * epoch or per iteration as the schedule is meant) moves to the next:
 * <pre>{@code
 * var opt = new Optimizer<>(model.parameters(), SGD.of(0.1).withMomentum(0.9));
 * LRScheduler schedule = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 90; epoch++) {
 *     train(opt);
 *     schedule.step();
 * }
 * }</pre>
 */
public interface LRScheduler {

    /** Advances the schedule by one and sets each group's lr. */
    void step();

    /** The lr of each group, as set by the last step (or construction). */
    double[] lastLr();

    /** PyTorch's {@code last_epoch}: the number of steps taken, 0 right after construction. */
    int lastEpoch();

    Optimizer<?> optimizer();

    /** The schedule's position and anything else it needs to resume (JSON-friendly). */
    Map<String, Object> stateDict();

    void loadStateDict(Map<String, Object> state);
}
