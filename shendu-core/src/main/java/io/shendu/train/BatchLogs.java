package io.shendu.train;

/**
 * What one training step produced: its epoch (from 1), index in the epoch (from 0), the number of batches of
 * the epoch, the global step (from 1), the batch loss, and the running mean loss and accuracy of the epoch so far.
 */
public record BatchLogs(int epoch, int batch, int batches, long step, double loss, double runningLoss,
                        double runningAccuracy, long examplesSeen, double imagesPerSecond) {}
