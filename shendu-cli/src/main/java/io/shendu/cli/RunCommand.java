package io.shendu.cli;

import io.shendu.autograd.NoGrad;
import io.shendu.backend.cpu.Parallel;
import io.shendu.io.SafeTensors;
import io.shendu.models.Models;
import io.shendu.nn.Module;
import io.shendu.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code shendu run}: one forward pass of a zoo model in eval mode, from a safetensors file to another. This is how
 * a user checks that weights exported from PyTorch ({@code safetensors.torch.save_file(model.state_dict(), path)})
 * give PyTorch's outputs here: the model's state-dict names are torchvision's, so the file loads unchanged.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a zoo model in eval mode on the tensor 'input' of a safetensors file; write 'output'.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model from the zoo (shendu summary --list).")
    String model;

    @Option(names = "--weights", description = "A safetensors state dict (e.g. from PyTorch); all names must match. "
            + "Default: the model's seeded initialisation.")
    Path weights;

    @Option(names = "--input", required = true, description = "Safetensors file holding 'input', [N, C, H, W].")
    Path input;

    @Option(names = "--output", required = true, description = "Safetensors file to write 'output' to.")
    Path output;

    @Option(names = "--classes", defaultValue = "10", description = "Number of classes of the model (1000 for ImageNet "
            + "weights). Default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--seed", defaultValue = "0", description = "Initialisation seed when no --weights. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", description = "Kernel threads (default: all processors, or SHENDU_THREADS).")
    Integer threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (threads != null) Parallel.setThreads(threads);
        Tensor x = readInput();
        Module net = Models.create(model, new Models.Options(x.size(1), x.size(2), classes, seed));
        if (weights != null) load(net);
        net.eval();
        Tensor y;
        try (NoGrad ignored = NoGrad.enter()) {
            y = net.forward(x);
        }
        SafeTensors.write(output, Map.of("output", y), Map.of("model", model, "source", "shendu run"));
        out.printf(Locale.ROOT, "%s: input %s -> output %s (eval mode%s), written to %s%n", model,
                Arrays.toString(x.shape()), Arrays.toString(y.shape()), weights == null ? ", initial weights" : "", output);
        return 0;
    }

    private Tensor readInput() {
        Map<String, Tensor> tensors = SafeTensors.read(input).tensors();
        Tensor x = tensors.get("input");
        if (x == null) {
            throw new IllegalArgumentException(input + ": no tensor named 'input' (found " + tensors.keySet() + ")");
        }
        if (x.rank() != 4) {
            throw new IllegalArgumentException(input + ": 'input' must be a batch of images [N, C, H, W], found "
                    + Arrays.toString(x.shape()));
        }
        return x;
    }

    private void load(Module net) {
        Map<String, Tensor> state = SafeTensors.read(weights).tensors();
        Set<String> own = net.stateDict().keySet();
        List<String> missing = own.stream().filter(k -> !state.containsKey(k)).toList();
        List<String> unexpected = state.keySet().stream().filter(k -> !own.contains(k)).toList();
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException(weights + " does not fit model '" + model + "': " + missing.size()
                    + " of its " + own.size() + " names missing from the file " + firstFew(missing) + ", "
                    + unexpected.size() + " names of the file not in the model " + firstFew(unexpected));
        }
        try {
            net.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(weights + " does not fit model '" + model + "' with " + classes
                    + " classes (--classes): " + e.getMessage(), e);
        }
    }

    private static String firstFew(List<String> names) {
        return names.size() <= 5 ? names.toString() : names.subList(0, 5).toString().replace("]", ", ...]");
    }
}
