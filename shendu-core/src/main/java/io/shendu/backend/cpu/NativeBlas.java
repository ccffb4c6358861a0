package io.shendu.backend.cpu;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * An optional route to a system OpenBLAS's {@code cblas_sgemm}, called through the Foreign Function &amp; Memory
 * API (JEP 454). Nothing needs it: where it is missing, refused or switched off, {@link #available()} is false,
 * {@link #status()} says why, and {@link Sgemm} stays in Java.
 *
 * <p>Lookup: the system property {@code shendu.blas} — {@code off}, or the path of one library — else
 * {@code libopenblas.so.0} through the dynamic loader's search and then the usual Debian, Fedora and
 * {@code /usr/local} folders (Debian: {@code apt-get install libopenblas0-pthread}). The library is used only
 * when it exports {@code cblas_sgemm}, when exactly one OpenBLAS file is mapped into the process afterwards
 * ({@code /proc/self/maps}; two copies would fight over threads and symbols), and when this module has native
 * access ({@code --enable-native-access=ALL-UNNAMED}, which the {@code ./shendu} launcher and the tests pass):
 * without the flag it is not touched, so a library user sees no warning. Last, OpenBLAS must run a kernel set
 * that was measured faster than Java here ({@link #MEASURED_CORES}); its own choice can be overridden with the
 * environment variable {@code OPENBLAS_CORETYPE}, e.g. {@code SkylakeX} on an AVX-512 CPU it does not know.
 *
 * <p>The float arrays are passed in place, without copying: the downcall is {@link Linker.Option#critical
 * critical} with heap access, so the GC holds still for its duration. OpenBLAS's thread count follows
 * {@link Parallel#threads()}, set again before a call whenever that has changed.
 */
public final class NativeBlas {

    /** CBLAS enum values. */
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    /** Where to look when {@code shendu.blas} names no library; a bare name goes through the loader's search. */
    static final List<String> DEFAULT_PLACES = List.of("libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
            "/usr/lib64/libopenblas.so.0", "/usr/lib/libopenblas.so.0", "/usr/local/lib/libopenblas.so.0");

    private static final FunctionDescriptor SGEMM = FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_INT);

    /**
     * OpenBLAS's kernel sets whose sgemm ran faster than Java on some shapes in {@code NativeSgemmBenchmark}: the
     * AVX-512 ones (Cooperlake and SapphireRapids use SkylakeX's sgemm kernel). 0.3.21 does not know newer
     * Xeons and falls back to its SSE3 "Prescott" kernels there, 3–5× slower than Java on every shape measured.
     */
    private static final Set<String> MEASURED_CORES = Set.of("skylakex", "cooperlake", "sapphirerapids");

    /** The thread count last given to OpenBLAS (a setting of the one library in the process); 0 before any. */
    private static volatile int threadsSet;

    private final MethodHandle sgemm, setThreads, getThreads;
    private final String core, status;

    private NativeBlas(MethodHandle sgemm, MethodHandle setThreads, MethodHandle getThreads, String core,
            String status) {
        this.sgemm = sgemm;
        this.setThreads = setThreads;
        this.getThreads = getThreads;
        this.core = core;
        this.status = status;
    }

    /** Whether the benchmark found OpenBLAS's kernel set {@code core} faster than Java on some shapes. */
    static boolean measuredCore(String core) {
        return MEASURED_CORES.contains(core.toLowerCase(Locale.ROOT));
    }

    /** The kernel set OpenBLAS picked for this CPU, e.g. "SkylakeX"; empty when not bound. */
    String core() {
        return core;
    }

    /** The process-wide binding, looked up once on first use as the system property {@code shendu.blas} says. */
    public static NativeBlas system() {
        return SystemHolder.INSTANCE;
    }

    /**
     * Looks up OpenBLAS as {@code setting} says: null or blank for the default places, {@code off} for none, or
     * the path of one library. Never throws; a failure leaves an unavailable binding whose status says why.
     */
    public static NativeBlas load(String setting) {
        return load(setting, NativeBlas::measuredCore);
    }

    /**
     * As {@link #load(String)}, but accepting the library only when {@code coreAccepted} takes the name of the
     * kernel set OpenBLAS picked for this CPU ({@code openblas_get_corename()}, e.g. "SkylakeX").
     */
    static NativeBlas load(String setting, Predicate<String> coreAccepted) {
        if (setting != null && setting.trim().equalsIgnoreCase("off")) return refused("switched off (shendu.blas=off)");
        List<String> wanted = setting == null || setting.isBlank() ? DEFAULT_PLACES : List.of(setting.trim());
        // A bare name goes to the loader; a path that is not there needs no native access to rule out.
        List<String> places = wanted.stream().filter(p -> !p.contains("/") || Files.isRegularFile(Path.of(p))).toList();
        if (places.isEmpty()) return refused("no OpenBLAS found (looked for " + String.join(", ", wanted) + ")");
        if (!NativeBlas.class.getModule().isNativeAccessEnabled()) {
            return refused("native access is not enabled; start the JVM with --enable-native-access=ALL-UNNAMED"
                    + " (the ./shendu launcher does)");
        }
        Arena arena = Arena.ofShared();
        try {
            Optional<Found> found = open(places, arena);
            if (found.isEmpty()) {
                arena.close();
                return refused("no OpenBLAS found (looked for " + String.join(", ", places) + ")");
            }
            String refusal = refusal(found.get());
            if (refusal != null) {
                arena.close();
                return refused(refusal);
            }
            NativeBlas blas = bind(found.get());
            if (!coreAccepted.test(blas.core)) {
                arena.close();
                return refused("OpenBLAS runs its " + blas.core + " kernels on this CPU, which no benchmark here"
                        + " found faster than Java; OPENBLAS_CORETYPE=SkylakeX (on a CPU with AVX-512) selects"
                        + " kernels that are");
            }
            return blas;
        } catch (IllegalCallerException | UnsatisfiedLinkError | IllegalArgumentException e) {
            if (arena.scope().isAlive()) arena.close();
            return refused("could not bind OpenBLAS: " + e);
        }
    }

    /** True when GEMMs may go to OpenBLAS. */
    public boolean available() {
        return sgemm != null;
    }

    /** One line: the library, its configuration and thread count, or why it is not used. */
    public String status() {
        return available() && getThreads != null ? status + ", " + nativeThreads() + " threads" : status;
    }

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C} by {@code cblas_sgemm}, with the argument convention of
     * {@link Sgemm#sgemm}; {@code beta == 0} overwrites C. The caller validates the arguments (out-of-range
     * offsets here would let native code write outside the arrays) and keeps m, n, k positive.
     *
     * @throws IllegalStateException when the library is not {@link #available()}
     */
    void sgemm(SgemmCall g) {
        if (sgemm == null) throw new IllegalStateException("sgemm: OpenBLAS is not available: " + status);
        matchThreads();
        try {
            sgemm.invokeExact(ROW_MAJOR, g.transA() ? TRANS : NO_TRANS, g.transB() ? TRANS : NO_TRANS, g.m(), g.n(),
                    g.k(), g.alpha(), at(g.a(), g.aOff()), g.lda(), at(g.b(), g.bOff()), g.ldb(), g.beta(),
                    at(g.c(), g.cOff()), g.ldc());
        } catch (Throwable t) {
            throw new IllegalStateException("sgemm: cblas_sgemm failed", t);
        }
    }

    /** Validated {@link #sgemm(SgemmCall)} for benchmarks: the same arguments as {@link Sgemm#sgemm}. */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        var call = new SgemmCall(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        call.validate();
        if (m > 0 && n > 0 && k > 0) sgemm(call);
        else Sgemm.run(call, Sgemm.Path.DIRECT);
    }

    /** OpenBLAS's own thread count, or 0 when unknown. */
    int nativeThreads() {
        if (getThreads == null) return 0;
        try {
            return (int) getThreads.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_get_num_threads failed", t);
        }
    }

    private void matchThreads() {
        int wanted = Parallel.threads();
        if (setThreads == null || wanted == threadsSet) return;
        try {
            setThreads.invokeExact(wanted);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
        threadsSet = wanted;
    }

    private static MemorySegment at(float[] x, int offset) {
        return MemorySegment.ofArray(x).asSlice((long) offset * Float.BYTES);
    }

    /** A library that opened, with the symbols it exports. */
    private record Found(String place, SymbolLookup symbols) {}

    private static Optional<Found> open(List<String> places, Arena arena) {
        for (String place : places) {
            try {
                SymbolLookup symbols = place.contains("/") ? SymbolLookup.libraryLookup(Path.of(place), arena)
                        : SymbolLookup.libraryLookup(place, arena);
                return Optional.of(new Found(place, symbols));
            } catch (IllegalArgumentException notThere) {
                // try the next place
            }
        }
        return Optional.empty();
    }

    /** Why an opened library must not be used, or null when it may. */
    private static String refusal(Found found) {
        if (found.symbols().find("cblas_sgemm").isEmpty()) return found.place() + " has no cblas_sgemm";
        List<String> copies = mappedOpenBlas();
        if (copies == null) return "cannot read /proc/self/maps to check that only one OpenBLAS is loaded";
        if (copies.size() != 1) {
            return copies.size() + " OpenBLAS files are mapped (" + String.join(", ", copies) + "), need exactly one";
        }
        return null;
    }

    /** The distinct files whose name contains "libopenblas" mapped into this process; null if unreadable. */
    static List<String> mappedOpenBlas() {
        try {
            var files = new TreeSet<String>();
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && line.substring(line.lastIndexOf('/') + 1).startsWith("libopenblas")) {
                    files.add(line.substring(slash).trim());
                }
            }
            return new ArrayList<>(files);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static NativeBlas bind(Found found) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup symbols = found.symbols();
        MethodHandle sgemm = linker.downcallHandle(symbols.find("cblas_sgemm").orElseThrow(), SGEMM,
                Linker.Option.critical(true));
        MethodHandle set = symbols.find("openblas_set_num_threads")
                .map(s -> linker.downcallHandle(s, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT))).orElse(null);
        MethodHandle get = symbols.find("openblas_get_num_threads")
                .map(s -> linker.downcallHandle(s, FunctionDescriptor.of(ValueLayout.JAVA_INT))).orElse(null);
        String config = symbols.find("openblas_get_config").map(s -> text(linker, s)).orElse("OpenBLAS");
        String core = symbols.find("openblas_get_corename").map(s -> text(linker, s)).orElse("unknown");
        return new NativeBlas(sgemm, set, get, core,
                config + " (" + core + " kernels) from " + mappedOpenBlas().getFirst());
    }

    /** The string a {@code const char *f(void)} returns, e.g. {@code openblas_get_config()}. */
    private static String text(Linker linker, MemorySegment symbol) {
        try {
            var handle = linker.downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.ADDRESS));
            var text = (MemorySegment) handle.invokeExact();
            return text.reinterpret(Long.MAX_VALUE).getString(0).trim();
        } catch (Throwable t) {
            return "unknown (" + t + ")";
        }
    }

    private static NativeBlas refused(String why) {
        return new NativeBlas(null, null, null, "", "not used: " + why);
    }

    private static final class SystemHolder {
        static final NativeBlas INSTANCE = load(System.getProperty("shendu.blas"));
    }
}
