package io.shendu.models;

import io.shendu.nn.Conv2d;
import io.shendu.nn.Linear;
import io.shendu.nn.Module;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * LeNet-5 (LeCun et al. 1998) as commonly used today, with ReLU and max pooling:
 * conv 1→6 5×5 pad 2, pool 2, conv 6→16 5×5, pool 2, fc 400→120→84→classes. Input {@code [N, 1, 28, 28]}.
 * Parameter names {@code conv1, conv2, fc1, fc2, fc3}; 61,706 parameters for 10 classes.
 */
public final class LeNet5 extends Module {

    private final Conv2d conv1, conv2;
    private final Linear fc1, fc2, fc3;

    public LeNet5() {
        this(10, Generator.defaultGenerator());
    }

    public LeNet5(int numClasses, Generator gen) {
        conv1 = registerModule("conv1", new Conv2d(Conv2d.options(1, 6, 5).withPadding(2), gen));
        conv2 = registerModule("conv2", new Conv2d(Conv2d.options(6, 16, 5), gen));
        fc1 = registerModule("fc1", new Linear(400, 120, true, gen));
        fc2 = registerModule("fc2", new Linear(120, 84, true, gen));
        fc3 = registerModule("fc3", new Linear(84, numClasses, true, gen));
    }

    @Override
    public Tensor forward(Tensor x) {
        x = conv1.forwardReluMaxPool2(x);   // conv + ReLU + 2×2 max pool as one op (layer by layer in a summary)
        x = conv2.forwardReluMaxPool2(x);
        x = x.flatten(1, -1);
        x = fc1.call(x).relu();
        x = fc2.call(x).relu();
        return fc3.call(x);
    }
}
