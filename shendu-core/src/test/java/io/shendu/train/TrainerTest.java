package io.shendu.train;

import io.shendu.data.DataLoader;
import io.shendu.data.TensorDataset;
import io.shendu.io.Checkpoint;
import io.shendu.nn.CrossEntropyLoss;
import io.shendu.nn.Flatten;
import io.shendu.nn.Linear;
import io.shendu.nn.Module;
import io.shendu.nn.ReLU;
import io.shendu.nn.Sequential;
import io.shendu.optim.Adam;
import io.shendu.optim.Optimizer;
import io.shendu.optim.SGD;
import io.shendu.optim.StepLR;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    @TempDir
    Path dir;

    /** Four Gaussian blobs in 2-D, as 1×1×2 "images", 4 classes. */
    private static TensorDataset blobs(int n, long seed) {
        Generator g = new Generator(seed);
        float[] x = new float[n * 2];
        int[] y = new int[n];
        float[][] centres = {{2, 2}, {-2, 2}, {-2, -2}, {2, -2}};
        for (int i = 0; i < n; i++) {
            y[i] = g.nextInt(4);
            x[2 * i] = centres[y[i]][0] + (float) g.nextGaussian() * 0.8f;
            x[2 * i + 1] = centres[y[i]][1] + (float) g.nextGaussian() * 0.8f;
        }
        return new TensorDataset(Tensor.of(x, n, 1, 1, 2), Tensor.ofInts(y, n), List.of("a", "b", "c", "d"));
    }

    /** Adds Gaussian noise in training from a registered generator, so resumption must restore its state. */
    static final class Noise extends Module {
        private final Generator gen;

        Noise(Generator gen) {
            this.gen = registerGenerator("gen", gen);
        }

        @Override
        public Tensor forward(Tensor x) {
            return isTraining() ? x.add(Tensor.randn(gen, x.shape()).mul(0.1f)) : x;
        }
    }

    private static Module model(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Flatten(), new Linear(2, 16, true, g), new ReLU(), new Noise(new Generator(seed + 1)),
                new Linear(16, 4, true, g));
    }

    private static DataLoader loader(TensorDataset d, boolean shuffle) {
        return new DataLoader(d, DataLoader.Options.of(32).withShuffle(shuffle).withSeed(7));
    }

    @Test
    void fitLowersTheLossAndLearnsTheBlobs() {
        Module m = model(1);
        Optimizer<Adam> opt = new Optimizer<>(m.parameters(), Adam.of(0.01));
        Trainer t = new Trainer(m, opt, new CrossEntropyLoss()::forward, Trainer.Options.epochs(8));
        History h = t.fit(loader(blobs(512, 3), true), loader(blobs(256, 4), false));
        assertEquals(8, h.epochs().size());
        assertTrue(h.last().trainLoss() < h.epochs().get(0).trainLoss() * 0.5, "loss should at least halve: " + h.epochs());
        assertTrue(h.last().valAccuracy() > 0.9, "validation accuracy " + h.last().valAccuracy());
        Evaluation e = t.evaluate(loader(blobs(256, 4), false));
        assertEquals(256, e.count());
        assertEquals(e.accuracy(), h.last().valAccuracy(), 1e-12);
        Evaluation last = t.lastValidation();
        assertEquals(e.correct(), last.correct(), "the last epoch's validation is the model's evaluation");
        assertEquals(e.count(), last.count());
        assertEquals(e.loss(), last.loss(), 1e-12);
        long diagonal = 0;
        for (int c = 0; c < 4; c++) diagonal += e.confusion()[c][c];
        assertEquals(e.correct(), diagonal);
        assertEquals(1.0, e.topKAccuracy(), 1e-12); // 4 classes, top-5 always hits
    }

    @Test
    void resumingAfterAnEpochEndsWithTheSameWeightsBitForBit() {
        TensorDataset data = blobs(200, 5);
        Module straight = model(11);
        Optimizer<SGD> o1 = new Optimizer<>(straight.parameters(), SGD.of(0.05).withMomentum(0.9));
        Trainer t1 = new Trainer(straight, o1, new CrossEntropyLoss()::forward, Trainer.Options.epochs(3))
                .withScheduler(new StepLR(o1, 1, 0.5));
        t1.fit(loader(data, true), null);

        Module first = model(11);
        Optimizer<SGD> o2 = new Optimizer<>(first.parameters(), SGD.of(0.05).withMomentum(0.9));
        Trainer t2 = new Trainer(first, o2, new CrossEntropyLoss()::forward, Trainer.Options.epochs(1))
                .withScheduler(new StepLR(o2, 1, 0.5));
        t2.fit(loader(data, true), null);
        t2.checkpoint("blobs", Map.of("hidden", 16), Map.of()).save(dir, "last");

        Module resumed = model(99); // different initial weights and generator: everything must come from the checkpoint
        Optimizer<SGD> o3 = new Optimizer<>(resumed.parameters(), SGD.of(0.05).withMomentum(0.9));
        Trainer t3 = new Trainer(resumed, o3, new CrossEntropyLoss()::forward, Trainer.Options.epochs(3))
                .withScheduler(new StepLR(o3, 1, 0.5));
        t3.restore(Checkpoint.load(dir.resolve("last.json")));
        assertEquals(1, t3.epochsDone());
        History h = t3.fit(loader(data, true), null);
        assertEquals(2, h.epochs().size());
        assertEquals(3, h.last().epoch());
        straight.stateDict().forEach((name, w) ->
                assertArrayEquals(w.toFloatArray(), resumed.stateDict().get(name).toFloatArray(), name + " differs after resume"));
    }

    @Test
    void aNonFiniteLossStopsWithTheStep() {
        Module m = model(2);
        Optimizer<SGD> opt = new Optimizer<>(m.parameters(), SGD.of(1e30));
        Trainer t = new Trainer(m, opt, new CrossEntropyLoss()::forward, Trainer.Options.epochs(5));
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> t.fit(loader(blobs(256, 3), true), null));
        assertTrue(e.getMessage().contains("at step " + e.step()), e.getMessage());
        assertTrue(e.step() > 1);
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() {
        Module m = model(3);
        Optimizer<SGD> opt = new Optimizer<>(m.parameters(), SGD.of(0.05));
        EarlyStopping stop = new EarlyStopping("val_loss", EarlyStopping.Mode.MIN, 0, 10.0, true); // needs a 10.0 drop: stops at once
        Trainer t = new Trainer(m, opt, new CrossEntropyLoss()::forward, Trainer.Options.epochs(20)).withCallbacks(stop);
        Map<String, Tensor> before = copy(m.stateDict());
        History h = t.fit(loader(blobs(128, 3), true), loader(blobs(64, 4), false));
        assertEquals(2, h.epochs().size());
        assertNotNull(h.stopReason());
        assertTrue(h.stopReason().contains("val_loss"), h.stopReason());
        assertEquals(1, stop.bestEpoch());
        boolean changed = false;
        for (var e : before.entrySet()) changed |= !java.util.Arrays.equals(e.getValue().toFloatArray(), m.stateDict().get(e.getKey()).toFloatArray());
        assertTrue(changed, "training changed the weights");
    }

    @Test
    void checkpointAndHistoryCallbacksWriteTheirFiles() throws Exception {
        Module m = model(4);
        Optimizer<Adam> opt = new Optimizer<>(m.parameters(), Adam.of(0.01));
        Trainer t = new Trainer(m, opt, new CrossEntropyLoss()::forward, Trainer.Options.epochs(3)).withCallbacks(
                new CheckpointCallback(dir, "blobs", Map.of(), "val_accuracy", EarlyStopping.Mode.MAX), new HistoryWriter(dir));
        t.fit(loader(blobs(128, 3), true), loader(blobs(64, 4), false));
        Checkpoint last = Checkpoint.load(dir.resolve("last.json"));
        assertEquals(3, last.epoch());
        assertEquals("blobs", last.modelName());
        assertTrue(Files.exists(dir.resolve("best.json")));
        List<String> csv = Files.readAllLines(dir.resolve("history.csv"));
        assertEquals(4, csv.size());
        assertTrue(csv.get(0).startsWith("epoch,loss,accuracy,val_loss,val_accuracy"), csv.get(0));
        try (var files = Files.list(dir)) {
            long weights = files.filter(p -> p.getFileName().toString().startsWith("last-")).count();
            assertEquals(1, weights, "old weights files of 'last' are removed once the JSON points to the new one");
        }
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> s) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        s.forEach((k, v) -> out.put(k, v.contiguousCopy()));
        return out;
    }
}
