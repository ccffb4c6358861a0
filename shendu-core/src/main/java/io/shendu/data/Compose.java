package io.shendu.data;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.List;

/** Applies {@code transforms} in order, all drawing from the same example generator. */
public record Compose(List<Transform> transforms) implements Transform {

    public Compose {
        transforms = List.copyOf(transforms);
    }

    public Compose(Transform... transforms) {
        this(List.of(transforms));
    }

    @Override
    public Tensor apply(Tensor image, Generator gen) {
        Tensor x = image;
        for (Transform t : transforms) x = t.apply(x, gen);
        return x;
    }
}
