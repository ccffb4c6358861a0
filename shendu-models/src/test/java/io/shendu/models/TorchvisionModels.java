package io.shendu.models;

import io.shendu.io.Json;
import io.shendu.nn.Module;
import io.shendu.tensor.Generator;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the Shendu model for a torchvision constructor call as the fixtures write it ({@code "resnet50"} with
 * {@code {"num_classes": 1000}}); {@code lenet5} is the fixture's own LeNet-5. Unknown names or arguments fail,
 * so a new fixture entry cannot pass unchecked.
 */
final class TorchvisionModels {

    private static final Set<String> KNOWN_ARGS = Set.of("num_classes", "aux_logits", "transform_input", "init_weights");

    private TorchvisionModels() {}

    static Module build(String name, Map<String, Object> args) {
        for (String k : args.keySet()) {
            if (!KNOWN_ARGS.contains(k)) throw new AssertionError(name + ": constructor argument '" + k + "' is not handled");
        }
        int classes = ((Json.Number) args.get("num_classes")).intValue();
        Generator gen = new Generator(0);
        if (name.equals("lenet5")) return new LeNet5(classes, gen);
        if (name.equals("alexnet")) return new AlexNet(AlexNet.AlexNetOptions.imagenet(classes), gen);
        if (name.equals("googlenet")) {
            // init_weights only changes the values (torchvision's default initialisation is always used here)
            return new GoogLeNet(GoogLeNet.GoogLeNetOptions.imagenet(classes, flag(args, "aux_logits", true))
                    .withTransformInput(flag(args, "transform_input", false)), gen);
        }
        if (name.startsWith("vgg")) {
            boolean bn = name.endsWith("_bn");
            VGG.Config config = VGG.Config.valueOf(name.replace("_bn", "").toUpperCase(Locale.ROOT));
            // torchvision's re-initialisation of the 120M classifier weights changes only values: skipped for speed
            return new VGG(config, VGG.VGGOptions.imagenet(classes, bn).withInitWeights(false), gen);
        }
        if (name.startsWith("resnet")) {
            return new ResNet(ResNet.Depth.valueOf(name.toUpperCase(Locale.ROOT)), ResNet.ResNetOptions.imagenet(classes), gen);
        }
        throw new AssertionError("no Shendu model for fixture model '" + name + "'");
    }

    private static boolean flag(Map<String, Object> args, String key, boolean torchvisionDefault) {
        Object v = args.get(key);
        return v == null ? torchvisionDefault : (Boolean) v;
    }
}
