package io.shendu.models;

import io.shendu.nn.Dropout;
import io.shendu.nn.Linear;
import io.shendu.nn.Module;
import io.shendu.nn.PoolFunctional;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * GoogLeNet's auxiliary classifier, as torchvision's {@code InceptionAux}: adaptive average pool to 4×4, a 1×1
 * {@link BasicConv2d} to 128 channels ({@code conv}), then {@code fc1} 2048 → 1024, ReLU, dropout and
 * {@code fc2} 1024 → classes. Input {@code [N, in, H, W]} (512 or 528 channels at 14×14 in GoogLeNet).
 */
public final class InceptionAux extends Module {

    private final BasicConv2d conv;
    private final Linear fc1, fc2;
    private final Dropout dropout;

    public InceptionAux(int in, int numClasses, double dropout, Generator gen) {
        conv = registerModule("conv", new BasicConv2d(in, 128, 1, 0, gen));
        fc1 = registerModule("fc1", new Linear(2048, 1024, true, gen));
        fc2 = registerModule("fc2", new Linear(1024, numClasses, true, gen));
        this.dropout = registerModule("dropout", new Dropout(dropout, gen.split()));
    }

    @Override
    public Tensor forward(Tensor x) {
        x = conv.call(PoolFunctional.adaptiveAvgPool2d(x, 4, 4)).flatten(1, -1);
        x = dropout.call(fc1.call(x).relu());
        return fc2.call(x);
    }
}
