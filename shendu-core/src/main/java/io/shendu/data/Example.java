package io.shendu.data;

import io.shendu.tensor.Tensor;

/** One labelled image: {@code input} is float {@code [C, H, W]} in [0, 1], {@code label} a class index. */
public record Example(Tensor input, int label) {}
