package io.shendu.cli.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code rnn} and {@code char-lm} demos in quick mode: what they print, and that it stays quick. */
class LanguageModelDemoTest {

    @TempDir
    Path dir;

    private String run(String name) throws Exception {
        StringWriter text = new StringWriter();
        long start = System.nanoTime();
        Demos.get(name).run(new DemoContext(new PrintWriter(text, true), dir, true, 42));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 20, name + " --quick took " + seconds + " s");
        return text.toString();
    }

    @Test
    void rnnContinuesTheSlidesSentenceAndWritesAPoem() throws Exception {
        String out = run("rnn");
        assertEquals("今天 | 下午 | 我 | 要 | 去 | 学校 | 。", continuation(out, "今天"), out);
        assertEquals("明天 | 上午 | 我 | 要 | 在 | 家 | 看书 | 。", continuation(out, "明天"), out);
        assertEquals("他 | 今天 | 不 | 去 | 学校 | 。", continuation(out, "他 今天"), out);
        Matcher m = Pattern.compile("Validation perplexity: RNN ([0-9.]+) \\(epoch \\d+\\), bigram baseline ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        double rnn = Double.parseDouble(m.group(1));
        assertTrue(Double.isFinite(rnn) && rnn > 1 && rnn < 2579, "below the uniform model's 2579: " + rnn);
        assertTrue(out.contains("sampled at temperature 0.8") && out.contains("    《"), out);
    }

    /** The sentence printed after "given PREFIX →". */
    private static String continuation(String out, String prefix) {
        Matcher m = Pattern.compile("(?m)^  given " + Pattern.quote(prefix) + " +→ (.*)$").matcher(out);
        return m.find() ? m.group(1).strip() : "(no line for " + prefix + ")";
    }

    @Test
    void charLmReportsOrderedPerplexitiesAndSamples() throws Exception {
        String out = run("char-lm");
        Map<String, Double> ppl = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^  (unigram|bigram|RNN|LSTM|GRU)\\s+(?:\\d+|-)\\s+([0-9.]+)").matcher(out);
        while (m.find()) ppl.put(m.group(1), Double.parseDouble(m.group(2)));
        assertEquals(5, ppl.size(), out);
        ppl.values().forEach(p -> assertTrue(Double.isFinite(p) && p > 1, out));
        // The baselines by their known values on this split; a bigram beats a unigram beats the uniform guess.
        assertEquals(439.7, ppl.get("unigram"), 0.05, out);
        assertEquals(254.3, ppl.get("bigram"), 0.05, out);
        // One short epoch already takes every network well below the uniform model.
        for (String model : new String[] {"RNN", "LSTM", "GRU"}) {
            assertTrue(ppl.get(model) < 2579 / 2.0, model + ": " + ppl.get(model));
        }
        assertTrue(out.contains("LSTM sample, temperature 0.5"), out);
        assertTrue(Files.size(dir.resolve("char-lm.png")) > 0);
    }
}
