package io.shendu.autograd;

import io.shendu.autograd.GradientRows.Row;
import io.shendu.autograd.GradientRows.Tolerance;
import io.shendu.backend.BinaryOp;
import io.shendu.backend.UnaryOp;
import io.shendu.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every row of {@link GradientRows} through {@link GradCheck}, and fails when a primitive of the main code
 * (any concrete {@link Function} subclass, in any package) has no row.
 *
 * <p>A primitive is named by its class's simple name ({@code Softmax}, {@code Product}); the two elementwise
 * primitives are one op each, named {@code Map:EXP} (one per {@link UnaryOp}) and {@code Zip:ADD} (one per
 * differentiable {@link BinaryOp}).
 */
class GradientTableTest {

    /**
     * UnaryOps without a row: the scalar comparisons give 0/1 masks, which are not differentiable, and no Tensor
     * method builds a graph node from them (comparisons go through the backend directly).
     */
    static final Set<UnaryOp> NOT_DIFFERENTIABLE_UNARY = EnumSet.of(
            UnaryOp.EQ_SCALAR, UnaryOp.GT_SCALAR, UnaryOp.LT_SCALAR, UnaryOp.GE_SCALAR, UnaryOp.LE_SCALAR);

    /**
     * BinaryOps without a row: the comparisons are forward-only masks; POW has no Tensor method and
     * {@code Zip.backward} rejects it; the {@code *_BACKWARD} ops are the derivative kernels of the Map ops,
     * run only inside a backward and checked through the rows of those ops.
     */
    static final Set<BinaryOp> NOT_DIFFERENTIABLE_BINARY = EnumSet.of(
            BinaryOp.POW, BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE,
            BinaryOp.RELU_BACKWARD, BinaryOp.LEAKY_RELU_BACKWARD, BinaryOp.ELU_BACKWARD, BinaryOp.SIGMOID_BACKWARD,
            BinaryOp.TANH_BACKWARD, BinaryOp.GELU_BACKWARD, BinaryOp.GELU_TANH_BACKWARD, BinaryOp.SOFTPLUS_BACKWARD,
            BinaryOp.POW_BACKWARD, BinaryOp.CLAMP_BACKWARD, BinaryOp.ABS_BACKWARD);

    private static final String MAP = "io.shendu.tensor.Elementwise$Map";
    private static final String ZIP = "io.shendu.tensor.Elementwise$Zip";

    /**
     * Every table of rows: the tensor primitives here, and one file per area of {@code io.shendu.nn}
     * (convolution, pooling, normalisation, recurrent, ...). A new area adds its list here.
     */
    static final java.util.List<Row> ALL_ROWS = Stream.of(
            GradientRows.ALL,
            ConvGradientRows.ALL,
            LossGradientRows.ALL,
            PoolGradientRows.ALL,
            NormGradientRows.ALL
    ).flatMap(java.util.List::stream).toList();

    static Stream<Row> rows() {
        return ALL_ROWS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void analyticGradientMatchesFiniteDifferences(Row row) {
        Tolerance t = row.tolerance();
        GradCheck.Report report = GradCheck.check(row.f(), row.draw(), t.eps(), t.atol(), t.rtol());
        assertTrue(report.passed(), () -> row.key() + ": " + report);
    }

    /** Keeps the declared coverage honest: the row's graph really contains the primitives it names. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rowExercisesThePrimitivesItNames(Row row) {
        Tensor[] x = row.draw();
        for (Tensor t : x) t.requiresGrad(true);
        Set<String> inGraph = new TreeSet<>();
        for (Function fn : Engine.topologicalOrder(new Tensor[] {row.f().apply(x)})) inGraph.add(key(fn));
        Set<String> missing = new TreeSet<>(row.covers());
        missing.removeAll(inGraph);
        assertTrue(missing.isEmpty(), () -> row.key() + " names " + missing + " but its graph holds only " + inGraph);
    }

    @Test
    void everyPrimitiveHasARow() throws Exception {
        Set<String> required = new TreeSet<>();
        for (Class<?> c : primitiveClasses()) required.addAll(requiredKeys(c));
        Set<String> covered = new TreeSet<>();
        for (Row row : ALL_ROWS) covered.addAll(row.covers());

        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), () -> "primitives without a gradient row: " + missing
                + "; add a row to GradientRows (or, for a non-differentiable op, to the documented exclusion list)");
        Set<String> unknown = new TreeSet<>(covered);
        unknown.removeAll(required);
        assertTrue(unknown.isEmpty(), () -> "rows name primitives that do not exist (or are excluded): " + unknown);
    }

    /** A new UnaryOp or BinaryOp must get a row or a place on an exclusion list, not slip through. */
    @Test
    void everyOpEnumValueHasARowOrIsExcluded() {
        Set<String> covered = new HashSet<>();
        for (Row row : ALL_ROWS) covered.addAll(row.covers());
        for (UnaryOp op : UnaryOp.values()) {
            boolean hasRow = covered.contains("Map:" + op), excluded = NOT_DIFFERENTIABLE_UNARY.contains(op);
            assertTrue(hasRow != excluded, () -> "UnaryOp." + op + (hasRow ? " has a row and is excluded"
                    : " has no gradient row and is not on NOT_DIFFERENTIABLE_UNARY"));
        }
        for (BinaryOp op : BinaryOp.values()) {
            boolean hasRow = covered.contains("Zip:" + op), excluded = NOT_DIFFERENTIABLE_BINARY.contains(op);
            assertTrue(hasRow != excluded, () -> "BinaryOp." + op + (hasRow ? " has a row and is excluded"
                    : " has no gradient row and is not on NOT_DIFFERENTIABLE_BINARY"));
        }
    }

    @Test
    void rowKeysAreUnique() {
        Set<String> seen = new HashSet<>();
        for (Row row : ALL_ROWS) assertTrue(seen.add(row.key()), () -> "duplicate row key " + row.key());
    }

    /** The scan itself must find the known primitives, or the completeness test would pass vacuously. */
    @Test
    void scanFindsTheElementwisePrimitives() throws Exception {
        List<String> names = primitiveClasses().stream().map(Class::getName).toList();
        assertTrue(names.contains(MAP) && names.contains(ZIP), () -> "scan found only " + names);
    }

    /** Concrete subclasses of {@link Function} among the compiled classes of the main code, in any package. */
    static List<Class<?>> primitiveClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Function.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(root), () -> "expected the main classes directory, found " + root);
        List<String> names;
        try (Stream<Path> files = Files.walk(root)) {
            names = files.map(p -> root.relativize(p).toString())
                    .filter(n -> n.endsWith(".class") && !n.endsWith("-info.class"))   // module-info, package-info
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace(File.separatorChar, '.'))
                    .sorted()
                    .toList();
        }
        List<Class<?>> out = new ArrayList<>();
        for (String name : names) {
            Class<?> c = Class.forName(name, false, Function.class.getClassLoader());
            boolean concrete = !c.isInterface() && !Modifier.isAbstract(c.getModifiers());
            if (c != Function.class && Function.class.isAssignableFrom(c) && concrete) out.add(c);
        }
        return out;
    }

    private static Set<String> requiredKeys(Class<?> c) {
        Set<String> keys = new TreeSet<>();
        switch (c.getName()) {
            case MAP -> {
                for (UnaryOp op : UnaryOp.values()) if (!NOT_DIFFERENTIABLE_UNARY.contains(op)) keys.add("Map:" + op);
            }
            case ZIP -> {
                for (BinaryOp op : BinaryOp.values()) if (!NOT_DIFFERENTIABLE_BINARY.contains(op)) keys.add("Zip:" + op);
            }
            default -> keys.add(c.getSimpleName().isEmpty() ? c.getName() : c.getSimpleName());
        }
        return keys;
    }

    /** A graph node's key; Map and Zip name themselves after their op. */
    private static String key(Function fn) {
        String cls = fn.getClass().getSimpleName();
        return switch (fn.getClass().getName()) {
            case MAP, ZIP -> cls + ":" + fn.name().toUpperCase(Locale.ROOT);
            default -> cls;
        };
    }

    @Test
    void keyOfAMapNodeIsItsOp() {
        Tensor y = Tensor.ones(2).requiresGrad(true).exp();
        assertEquals("Map:EXP", key(y.gradFn()));
    }
}
