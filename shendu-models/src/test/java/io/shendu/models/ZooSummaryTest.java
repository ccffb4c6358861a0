package io.shendu.models;

import io.shendu.nn.Module;
import io.shendu.tensor.Generator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zoo's summaries: models call their children through {@code Module.call}, so every layer of a non-sequential
 * model (ResNet's blocks, GoogLeNet's inceptions, LeNet-5's fused convolutions) has a row with its output shape.
 */
class ZooSummaryTest {

    private static List<String> rows(String table) {
        List<String> lines = table.lines().toList();
        return lines.subList(4, lines.lastIndexOf(lines.get(1)));   // between the "====" line and the closing "----" line
    }

    @Test
    void resnet18SmallHasARowPerLayerWithItsShape() {
        String table = Models.create("resnet18_small", new Models.Options(1, 28, 10, 0)).summary(1, 1, 28, 28);
        List<String> rows = rows(table);
        assertEquals(List.of(
                "conv1                        Conv2d             [1, 64, 14, 14]                  576",
                "bn1                          BatchNorm2d        [1, 64, 14, 14]                  128",
                "layer1                       Sequential         [1, 64, 14, 14]            (147,968)",
                "  layer1.0                   BasicBlock         [1, 64, 14, 14]             (73,984)",
                "    layer1.0.conv1           Conv2d             [1, 64, 14, 14]               36,864",
                "    layer1.0.bn1             BatchNorm2d        [1, 64, 14, 14]                  128",
                "    layer1.0.conv2           Conv2d             [1, 64, 14, 14]               36,864",
                "    layer1.0.bn2             BatchNorm2d        [1, 64, 14, 14]                  128"), rows.subList(0, 8), table);
        assertTrue(rows.containsAll(List.of(
                "  layer2.0                   BasicBlock         [1, 128, 7, 7]             (230,144)",
                "    layer2.0.downsample      Sequential         [1, 128, 7, 7]               (8,448)",
                "      layer2.0.downsample.0  Conv2d             [1, 128, 7, 7]                 8,192",
                "    layer3.1.conv2           Conv2d             [1, 256, 4, 4]               589,824",
                "    layer4.1.bn2             BatchNorm2d        [1, 512, 2, 2]                 1,024")), table);
        assertEquals(List.of(
                "avgpool                      AdaptiveAvgPool2d  [1, 512, 1, 1]                     0",
                "fc                           Linear             [1, 10]                        5,130"), rows.subList(55, 57), table);
        // conv1, bn1; 4 stages × (stage + 2 blocks × 5 rows); 3 downsamples × 3 rows; avgpool, fc
        assertEquals(2 + 4 * 11 + 3 * 3 + 2, rows.size(), table);
        // every layer runs once, so the leaves' counts (the unbracketed ones) add up to the total
        long leaves = rows.stream().map(r -> r.substring(r.lastIndexOf(' ') + 1)).filter(p -> !p.startsWith("("))
                .mapToLong(p -> Long.parseLong(p.replace(",", ""))).sum();
        assertEquals(11_172_810, leaves);
        assertTrue(table.contains("Total params: 11,172,810\n"), table);
    }

    @Test
    void lenet5FusedConvolutionsAreTraced() {
        List<String> rows = rows(new LeNet5(10, new Generator(1)).summary(1, 1, 28, 28));
        assertEquals(List.of(
                "conv1                   Conv2d          [1, 6, 28, 28]                   156",
                "conv2                   Conv2d          [1, 16, 10, 10]                2,416",
                "fc1                     Linear          [1, 120]                      48,120",
                "fc2                     Linear          [1, 84]                       10,164",
                "fc3                     Linear          [1, 10]                          850"), rows);
    }

    @Test
    void googlenetAuxiliaryClassifiersAreNotCalledInEvalButCounted() {
        Module model = new GoogLeNet(GoogLeNet.GoogLeNetOptions.imagenet(5, true), new Generator(1));
        String table = model.summary(1, 3, 32, 32);
        List<String> rows = rows(table);
        assertFalse(rows.stream().anyMatch(r -> r.contains("aux")), table);
        assertTrue(rows.stream().anyMatch(r -> r.startsWith("    inception4a.branch2.1 ") && r.contains("[1, 208, 2, 2]")), table);
        assertTrue(table.contains(String.format(Locale.ROOT, "Total params: %,d%n", model.parameterCount())), table);
        assertTrue(model.isTraining());
    }
}
