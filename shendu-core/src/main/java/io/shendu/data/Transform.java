package io.shendu.data;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * A change made to one image {@code [C, H, W]} before batching (normalisation, augmentation). Random choices come
 * from {@code gen} alone: the {@link DataLoader} passes each example its own generator, seeded by (seed, epoch,
 * index), so the result is reproducible whatever the number of worker threads. Implementations must not modify
 * {@code image} and must be safe to call from several threads at once.
 */
@FunctionalInterface
public interface Transform {

    Tensor apply(Tensor image, Generator gen);
}
