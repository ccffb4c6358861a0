package io.shendu.cli;

import io.shendu.io.SafeTensors;
import io.shendu.models.Models;
import io.shendu.tensor.DType;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shendu run} against PyTorch: weights, inputs and outputs written by {@code tools/make_interop_fixtures.py}
 * (torch 1.13, torchvision 0.14.1) in {@code src/test/resources/interop/}. LeNet-5's trained weights are stored;
 * ResNet-18's (torchvision's {@code resnet18(num_classes=10)}, 45 MB) are computed here by the script's documented
 * formula and written to a temporary file, and only PyTorch's output is stored.
 */
class RunCommandTest {

    /** float32 outputs of a different summation order: PyTorch's oneDNN kernels against Shendu's. */
    private static final double RTOL = 1e-4, ATOL = 1e-4;

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {}

    static Result shendu(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void lenet5WithPyTorchWeightsGivesPyTorchOutputs() {
        Path out = dir.resolve("y.safetensors");
        Result r = shendu("run", "--model", "lenet5", "--weights", resource("lenet5.safetensors").toString(),
                "--input", resource("lenet5_input.safetensors").toString(), "--output", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("lenet5: input [8, 1, 28, 28] -> output [8, 10]"), r.out());
        assertClose(read(resource("lenet5_output.safetensors"), "output"), read(out, "output"), "lenet5");
    }

    @Test
    void resnet18WithFormulaWeightsGivesPyTorchOutputs() {
        Path weights = dir.resolve("resnet18.safetensors"), out = dir.resolve("y.safetensors");
        SafeTensors.write(weights, formulaWeights(Models.create("resnet18", new Models.Options(3, 32, 10, 0)).stateDict()), Map.of());
        Tensor input = read(resource("resnet18_input.safetensors"), "input");
        assertArrayEquals(formulaInput(input.shape()).toFloatArray(), input.toFloatArray(), "the script's input formula");
        Result r = shendu("run", "--model", "resnet18", "--weights", weights.toString(),
                "--input", resource("resnet18_input.safetensors").toString(), "--output", out.toString(), "--threads", "2");
        assertEquals(0, r.status(), r.err());
        assertClose(read(resource("resnet18_output.safetensors"), "output"), read(out, "output"), "resnet18");
    }

    @Test
    void withoutWeightsTheSeededInitialisationRuns() {
        Path out = dir.resolve("y.safetensors");
        Result r = shendu("run", "--model", "bncnn", "--input", resource("lenet5_input.safetensors").toString(),
                "--output", out.toString(), "--classes", "7");
        assertEquals(0, r.status(), r.err());
        assertArrayEquals(new int[] {8, 7}, read(out, "output").shape());
        assertTrue(r.out().contains("initial weights"), r.out());
    }

    @Test
    void badInputsGiveOneLineErrors() {
        Path wrongName = dir.resolve("x.safetensors");
        SafeTensors.write(wrongName, Map.of("images", Tensor.zeros(1, 1, 28, 28)), Map.of());
        Result r = shendu("run", "--model", "lenet5", "--input", wrongName.toString(), "--output", dir.resolve("y").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("no tensor named 'input' (found [images])"), r.err());

        r = shendu("run", "--model", "lenet5", "--weights", resource("lenet5.safetensors").toString(), "--classes", "5",
                "--input", resource("lenet5_input.safetensors").toString(), "--output", dir.resolve("y").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("does not fit model 'lenet5' with 5 classes (--classes)")
                && r.err().contains("fc3.weight: expected shape [5, 84] but found [10, 84]"), r.err());

        r = shendu("run", "--model", "resnet18", "--weights", resource("lenet5.safetensors").toString(),
                "--input", resource("resnet18_input.safetensors").toString(), "--output", dir.resolve("y").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("does not fit model 'resnet18': 121 of its 122 names missing from the file "
                + "[bn1.weight, bn1.bias, bn1.running_mean, bn1.running_var, bn1.num_batches_tracked, ...], 9 names of the "
                + "file not in the model [conv1.bias, conv2.weight, conv2.bias, fc1.weight, fc1.bias, ...]"), r.err());
    }

    // ---------------------------------------------------------------- the formula of tools/make_interop_fixtures.py

    /** u(i, k) in [-0.5, 0.5): SplitMix64's finaliser of (i + 1)·φ + k·c, top 53 bits. */
    static double u(long i, long k) {
        long z = (i + 1) * 0x9E3779B97F4A7C15L + k * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53 - 0.5;
    }

    /** The k-th state-dict entry's values, by name and rank, as the script's docstring states. */
    static Map<String, Tensor> formulaWeights(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int k = 0;
        for (var e : state.entrySet()) {
            String name = e.getKey();
            int[] shape = e.getValue().shape();
            if (name.endsWith("num_batches_tracked")) {
                assertEquals(DType.INT32, e.getValue().dtype(), name);
                out.put(name, Tensor.ofInts(new int[e.getValue().numel()], shape));
                k++;
                continue;
            }
            float[] v = new float[e.getValue().numel()];
            double fanIn = shape.length >= 2 ? v.length / shape[0] : 0;
            for (int i = 0; i < v.length; i++) {
                double u = u(i, k);
                double value = name.endsWith("running_var") ? 1 + 0.5 * u
                        : shape.length >= 2 ? u * Math.sqrt(24 / fanIn)
                        : name.endsWith("weight") ? 1 + 0.2 * u
                        : 0.2 * u;
                v[i] = (float) value;
            }
            out.put(name, Tensor.of(v, shape));
            k++;
        }
        return out;
    }

    static Tensor formulaInput(int[] shape) {
        float[] v = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (2 * u(i, 1000));
        return Tensor.of(v, shape);
    }

    // ---------------------------------------------------------------- helpers

    private static Path resource(String name) {
        try {
            return Path.of(RunCommandTest.class.getResource("/interop/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("test resource interop/" + name + " is missing (tools/make_interop_fixtures.py writes it)", e);
        }
    }

    private static Tensor read(Path file, String name) {
        Tensor t = SafeTensors.read(file).tensors().get(name);
        assertTrue(t != null, file + ": no tensor '" + name + "'");
        return t;
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(a[i] - e[i]);
            worst = Math.max(worst, err);
            assertTrue(err <= ATOL + RTOL * Math.abs(e[i]), what + ": output " + i + " is " + a[i] + ", PyTorch's " + e[i]);
        }
        System.out.printf("%s: largest difference from PyTorch %.3g%n", what, worst);
    }
}
