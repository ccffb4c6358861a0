package io.shendu.cli.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of demos, in the order of the lecture. Each demo adds one line here. */
public final class Demos {

    private static final List<Demo> ALL = List.of(
            new ForwardDemo(),
            new SoftmaxDemo(),
            new ChainRuleDemo(),
            new GateDemo(),
            new BackpropDemo(),
            new OptimizersDemo(),
            new LearningRateDemo(),
            new FittingDemo(),
            new DropoutDemo(),
            new BatchNormDemo(),
            new Conv1dDemo(),
            new PoolingDemo(),
            new AutoencoderDemo(),
            new LenetDemo(),
            new ArchitecturesDemo(),
            new UNetDemo(),
            new RnnDemo(),
            new CharLmDemo(),
            new GanDemo(),
            new SuperResolutionDemo(),
            new ImageToImageDemo()
    );

    private Demos() {}

    public static Map<String, Demo> all() {
        Map<String, Demo> m = new LinkedHashMap<>();
        for (Demo d : ALL) m.put(d.name(), d);
        return m;
    }

    public static Demo get(String name) {
        Demo d = all().get(name);
        if (d == null) throw new IllegalArgumentException("unknown demo '" + name + "'; see shendu demo --list");
        return d;
    }
}
