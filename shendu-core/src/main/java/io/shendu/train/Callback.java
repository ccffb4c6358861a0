package io.shendu.train;

/**
 * Hooks into {@link Trainer#fit}. Every method has an empty default; a callback overrides what it needs and may
 * ask the trainer to stop through {@link Trainer#requestStop}.
 */
public interface Callback {

    default void onTrainBegin(Trainer trainer) {}

    default void onEpochBegin(Trainer trainer, int epoch, int batches) {}

    default void onBatchEnd(Trainer trainer, BatchLogs logs) {}

    default void onEpochEnd(Trainer trainer, EpochLogs logs) {}

    default void onTrainEnd(Trainer trainer, History history) {}
}
