package io.shendu.models;

import io.shendu.nn.MaxPool2d;
import io.shendu.nn.MaxPool2d.MaxPool2dOptions;
import io.shendu.nn.Module;
import io.shendu.nn.Sequential;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

import java.util.List;

/**
 * The Inception module of GoogLeNet (Szegedy et al., "Going Deeper with Convolutions", 2015), as torchvision's
 * {@code Inception}: four parallel branches concatenated along the channels, output
 * {@code [N, ch1x1 + ch3x3 + ch5x5 + poolProj, H, W]}:
 * <ul>
 *   <li>{@code branch1}: 1×1 conv;</li>
 *   <li>{@code branch2}: 1×1 reduction to {@code ch3x3red}, then 3×3;</li>
 *   <li>{@code branch3}: 1×1 reduction to {@code ch5x5red}, then a <em>3×3</em> conv: torchvision keeps this
 *       known deviation from the paper's 5×5 so that its pretrained weights stay valid, and so do we;</li>
 *   <li>{@code branch4}: 3×3 max pool (stride 1, padding 1), then a 1×1 projection to {@code poolProj}.</li>
 * </ul>
 * Each conv is a {@link BasicConv2d} (conv, batch norm, ReLU).
 */
public final class Inception extends Module {

    private final BasicConv2d branch1;
    private final Sequential branch2, branch3, branch4;

    public Inception(int in, int ch1x1, int ch3x3red, int ch3x3, int ch5x5red, int ch5x5, int poolProj, Generator gen) {
        branch1 = registerModule("branch1", new BasicConv2d(in, ch1x1, 1, 0, gen));
        branch2 = registerModule("branch2", new Sequential(new BasicConv2d(in, ch3x3red, 1, 0, gen),
                new BasicConv2d(ch3x3red, ch3x3, 3, 1, gen)));
        branch3 = registerModule("branch3", new Sequential(new BasicConv2d(in, ch5x5red, 1, 0, gen),
                new BasicConv2d(ch5x5red, ch5x5, 3, 1, gen)));
        branch4 = registerModule("branch4", new Sequential(
                new MaxPool2d(MaxPool2dOptions.of(3).withStride(1).withPadding(1).withCeilMode(true)),
                new BasicConv2d(in, poolProj, 1, 0, gen)));
    }

    @Override
    public Tensor forward(Tensor x) {
        return Tensor.cat(List.of(branch1.call(x), branch2.call(x), branch3.call(x), branch4.call(x)), 1);
    }
}
