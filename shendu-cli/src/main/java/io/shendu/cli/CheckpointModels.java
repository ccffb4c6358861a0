package io.shendu.cli;

import io.shendu.io.Checkpoint;
import io.shendu.io.Json;
import io.shendu.models.Models;
import io.shendu.nn.Module;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Rebuilds a zoo model from a checkpoint and loads its weights, checking it fits the data. */
final class CheckpointModels {

    private CheckpointModels() {}

    static Module load(Path json, int[] imageShape, int classes) {
        Checkpoint c = Checkpoint.load(json);
        Models.Options o = options(c, json);
        if (o.inChannels() != imageShape[0] || o.imageSize() != imageShape[1] || o.numClasses() != classes) {
            throw new IllegalArgumentException("checkpoint " + json + " is for " + o.inChannels() + "×" + o.imageSize() + "×"
                    + o.imageSize() + " images and " + o.numClasses() + " classes, the data has " + Arrays.toString(imageShape)
                    + " and " + classes + " classes");
        }
        Module net = Models.create(c.modelName(), o);
        try {
            net.loadStateDict(c.weights(), true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + json + " does not fit model '" + c.modelName() + "': " + e.getMessage(), e);
        }
        net.eval();
        return net;
    }

    static Models.Options options(Checkpoint c, Path json) {
        Map<String, Object> cfg = c.modelConfig();
        try {
            return new Models.Options(num(cfg, "in_channels"), num(cfg, "image_size"), num(cfg, "num_classes"), 0);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint " + json + ": config lacks in_channels, image_size or num_classes");
        }
    }

    private static int num(Map<String, Object> cfg, String key) {
        return ((Json.Number) cfg.get(key)).intValue();
    }
}
