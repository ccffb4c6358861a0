package io.shendu.nn;

import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Module#summary}: a row per traced {@link Module#call} in execution order, with dotted names, nesting,
 * output shapes and parameter counts; Sequential's fusion is off while tracing; other threads are never traced.
 */
class SummaryTest {

    /** {@code y = relu(bn(conv(x)) + x)}: a block with children, called through {@code call}. */
    static final class Block extends Module {
        private final Conv2d conv;
        private final BatchNorm2d bn;

        Block(int channels, Generator gen) {
            conv = registerModule("conv", new Conv2d(Conv2d.options(channels, channels, 3).withPadding(1).withBias(false), gen));
            bn = registerModule("bn", new BatchNorm2d(channels));
        }

        @Override
        public Tensor forward(Tensor x) {
            return bn.call(conv.call(x)).add(x).relu();
        }
    }

    /** stem (conv → bn → relu), the same block twice, a pool, head; {@code spare} is never called. */
    static final class Net extends Module {
        final Sequential stem;
        final Block block;
        final Linear head;
        Runnable duringForward = () -> {};

        Net(Generator gen) {
            stem = registerModule("stem", new Sequential(new Conv2d(Conv2d.options(1, 4, 3).withPadding(1), gen),
                    new BatchNorm2d(4), new ReLU()));
            block = registerModule("block", new Block(4, gen));
            head = registerModule("head", new Linear(64, 10, true, gen));
            registerModule("spare", new Linear(3, 3, true, gen));
        }

        @Override
        public Tensor forward(Tensor x) {
            x = block.call(block.call(stem.call(x)));
            duringForward.run();
            return head.call(PoolFunctional.maxPool2d(x, 2).flatten(1, -1));
        }
    }

    private static final String NET_TABLE = """
            Net with input [2, 1, 8, 8]
            ----------------------------------------------------------------------------
            Layer                   Type            Output shape                  Params
            ============================================================================
            stem                    Sequential      [2, 4, 8, 8]                    (48)
              stem.0                Conv2d          [2, 4, 8, 8]                      40
              stem.1                BatchNorm2d     [2, 4, 8, 8]                       8
              stem.2                ReLU            [2, 4, 8, 8]                       0
            block                   Block           [2, 4, 8, 8]                   (152)
              block.conv            Conv2d          [2, 4, 8, 8]                     144
              block.bn              BatchNorm2d     [2, 4, 8, 8]                       8
            block                   Block           [2, 4, 8, 8]                   (152)
              block.conv            Conv2d          [2, 4, 8, 8]                     144
              block.bn              BatchNorm2d     [2, 4, 8, 8]                       8
            head                    Linear          [2, 10]                          650
            ----------------------------------------------------------------------------
            Total params: 862
            Trainable params: 862
            Non-trainable params: 0
            Output shape: [2, 10]
            """;

    @Test
    void customModuleGetsARowPerCallWithShapes() {
        Net net = new Net(new Generator(1));
        assertEquals(NET_TABLE, net.summary(2, 1, 8, 8));
        assertTrue(net.isTraining(), "the summary restores training mode");
        assertFalse(Module.tracing(), "no trace is left on the thread");
    }

    @Test
    void sequentialModelKeepsItsIndexNamesAndOpensNestedOnes() {
        Generator g = new Generator(1);
        Sequential model = new Sequential(new Linear(3, 4, true, g), new ReLU(), new Sequential(new Linear(4, 2, true, g)));
        String table = model.summary(5, 3);
        assertTrue(table.contains("""
                0                       Linear          [5, 4]                            16
                1                       ReLU            [5, 4]                             0
                2                       Sequential      [5, 2]                          (10)
                  2.0                   Linear          [5, 2]                            10
                ----"""), table);
        assertTrue(table.contains("Total params: 26\n"), table);
    }

    @Test
    void aLeafModuleIsOneRow() {
        String table = new Linear(3, 4, true, new Generator(1)).summary(2, 3);
        assertTrue(table.contains("\n(model)                 Linear          [2, 4]                            16\n----"), table);
    }

    @Test
    void anotherThreadsInferenceIsNotTraced() throws Exception {
        Net net = new Net(new Generator(1));
        AtomicBoolean tracedThere = new AtomicBoolean(true);
        AtomicReference<Tensor> inferred = new AtomicReference<>();
        net.duringForward = () -> {
            // inference on the same modules, on another thread, while this thread's summary is running
            Thread other = new Thread(() -> {
                tracedThere.set(Module.tracing());
                inferred.set(net.block.call(net.stem.call(Tensor.zeros(3, 1, 8, 8))));
            });
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        assertEquals(NET_TABLE, net.summary(2, 1, 8, 8), "only this thread's calls have rows");
        assertFalse(tracedThere.get());
        assertArrayEquals(new int[] {3, 4, 8, 8}, inferred.get().shape());
    }

    @Test
    void callWithoutASummaryRecordsNothing() {
        Net net = new Net(new Generator(1));
        assertNull(Summary.Trace.current());
        Tensor x = Tensor.randn(new Generator(2), 2, 1, 8, 8);
        assertArrayEquals(net.forward(x).toFloatArray(), net.call(x).toFloatArray());
        assertNull(Summary.Trace.current());
        assertEquals(NET_TABLE, net.summary(2, 1, 8, 8), "earlier calls leave no rows behind");
    }
}
