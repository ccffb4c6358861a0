package io.shendu.models;

import io.shendu.autograd.NoGrad;
import io.shendu.io.Json;
import io.shendu.nn.Module;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zoo against torchvision 0.14.1: every model of the {@code model_params} fixture
 * ({@code shared/fixtures/torch/model_params.json}, or {@code -Dshendu.fixtures=<dir>}) must have exactly its
 * parameter count, trainable count, number of parameter tensors, names and shapes in order, and eval-mode output
 * shape (for GoogLeNet with auxiliary classifiers also the three train-mode outputs). The same checks run on
 * {@code torchvision_more_models.json} (written by {@code tools/make_interop_fixtures.py}): the depths and
 * batch-norm variants the fixture leaves out.
 *
 * <p>The output shape is computed at the fixture's input size where that forward takes well under a second;
 * the VGGs and the deeper ResNets run at {@link #REDUCED_SIDE} instead, which gives the same output shape because
 * each of them ends in adaptive average pooling (7×7 for VGG, 1×1 for ResNet) before the classifier.
 */
class ModelParamsFixtureTest {

    static final String PROPERTY = "shendu.fixtures";
    /** As core's FixtureRunner: relative to the module directory, /work/main/shendu-models → /work/shared. */
    static final String DEFAULT_DIR = "../../shared/fixtures/torch";

    /** Image side for models too slow at 224×224 on two cores; see the class comment. */
    private static final Map<String, Integer> REDUCED_SIDE = Map.of(
            "vgg11", 32, "vgg11_bn", 32, "vgg13", 32, "vgg16", 32, "vgg19", 32,
            "resnet34", 64, "resnet50", 64, "resnet101", 32, "resnet152", 32);

    @TestFactory
    Stream<DynamicTest> modelParamsFixture() {
        return tests(readModels(fixturesDir().resolve("model_params.json")));
    }

    @TestFactory
    Stream<DynamicTest> moreTorchvisionModels() throws Exception {
        Path file = Path.of(ModelParamsFixtureTest.class.getResource("/torchvision_more_models.json").toURI());
        return tests(readModels(file));
    }

    private static Stream<DynamicTest> tests(List<Map<String, Object>> models) {
        return models.stream().map(e -> DynamicTest.dynamicTest(e.get("name") + " " + Json.write(e.get("args")),
                () -> check(e)));
    }

    @SuppressWarnings("unchecked")
    private static void check(Map<String, Object> e) {
        String name = (String) e.get("name");
        Module model = TorchvisionModels.build(name, (Map<String, Object>) e.get("args"));
        assertEquals(number(e, "total_params"), model.parameterCount(), name + ": total parameters");
        long trainable = model.parameters().stream().filter(Tensor::requiresGrad).mapToLong(Tensor::numel).sum();
        assertEquals(number(e, "trainable_params"), trainable, name + ": trainable parameters");
        assertEquals(number(e, "num_param_tensors"), model.parameters().size(), name + ": parameter tensors");
        List<String> expected = new ArrayList<>(), actual = new ArrayList<>();
        for (Object o : (List<Object>) e.get("param_tensors")) {
            Map<String, Object> p = (Map<String, Object>) o;
            expected.add(p.get("name") + " " + Arrays.toString(ints(p.get("shape"))));
        }
        model.namedParameters().forEach((n, t) -> actual.add(n + " " + Arrays.toString(t.shape())));
        assertEquals(expected, actual, name + ": parameter names and shapes, in order");

        int[] input = ints(e.get("input_shape"));
        int side = REDUCED_SIDE.getOrDefault(name, input[2]);
        Tensor x = Tensor.zeros(input[0], input[1], side, side);
        try (var ignored = NoGrad.enter()) {
            model.eval();
            assertEquals(Arrays.toString(ints(e.get("output_shape"))), Arrays.toString(model.forward(x).shape()),
                    name + ": eval output shape for input " + Arrays.toString(x.shape()));
            if (e.containsKey("train_mode_output_shapes")) checkTrainOutputs(name, (GoogLeNet) model, x, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkTrainOutputs(String name, GoogLeNet model, Tensor x, Map<String, Object> e) {
        Map<String, Object> shapes = (Map<String, Object>) e.get("train_mode_output_shapes");
        model.train();
        GoogLeNet.GoogLeNetOutputs out = model.forwardWithAux(x);
        assertEquals(Arrays.toString(ints(shapes.get("logits"))), Arrays.toString(out.logits().shape()), name + ": logits");
        assertEquals(Arrays.toString(ints(shapes.get("aux_logits1"))), Arrays.toString(out.auxLogits1().shape()), name + ": aux1");
        assertEquals(Arrays.toString(ints(shapes.get("aux_logits2"))), Arrays.toString(out.auxLogits2().shape()), name + ": aux2");
    }

    /** The folder of the fixtures, from -Dshendu.fixtures or the default, as core's FixtureRunner. */
    static Path fixturesDir() {
        String property = System.getProperty(PROPERTY);
        Path dir = Path.of(property != null ? property : DEFAULT_DIR).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(dir.resolve("model_params.json")), "PyTorch fixtures not found: "
                + dir.resolve("model_params.json") + " does not exist; pass -D" + PROPERTY + "=<folder holding it>");
        return dir;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> readModels(Path file) {
        try {
            Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(file));
            List<Map<String, Object>> models = new ArrayList<>();
            for (Object o : (List<Object>) root.get("models")) models.add((Map<String, Object>) o);
            assertTrue(!models.isEmpty(), file + ": no models");
            return models;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static long number(Map<String, Object> e, String key) {
        return ((Json.Number) e.get(key)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static int[] ints(Object list) {
        return ((List<Object>) list).stream().mapToInt(o -> ((Json.Number) o).intValue()).toArray();
    }
}
