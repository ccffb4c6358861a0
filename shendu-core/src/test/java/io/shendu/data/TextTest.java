package io.shendu.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextTest {

    @Test
    void tangPoemsMatchTheReadme() {
        TextCorpus poems = TangPoems.embedded();
        assertEquals(29_577, poems.length());
        assertEquals(2_579, poems.vocabSize());
        assertTrue(poems.text().startsWith("《感遇・其一》\n作者：张九龄\n兰叶春葳蕤，桂华秋皎洁。\n"));
        assertEquals(313, poems.text().lines().filter(l -> l.startsWith("作者：")).count()); // one author line per poem
        assertEquals("\n", poems.character(0)); // the vocabulary is sorted by code point
        assertEquals(" ", poems.character(1));
        assertEquals("？", poems.character(poems.vocabSize() - 1));
        assertEquals(poems.text(), poems.decode(poems.tokens()));
    }

    @Test
    void vocabularyEncodesAndDecodes() {
        TextCorpus c = TextCorpus.of("hello, world");
        assertEquals(" ,dehlorw", c.vocabulary());
        assertArrayEquals(new int[] {4, 3, 5, 5, 6}, c.encode("hello"));
        assertEquals("world", c.decode(c.encode("world")));
        var e = assertThrows(IllegalArgumentException.class, () -> c.encode("hi"));
        assertEquals("TextCorpus: 'i' (U+0069) is not in the vocabulary of 9 characters", e.getMessage());
        TextCorpus astral = TextCorpus.of("a😀b");
        assertEquals(3, astral.length());
        assertEquals("😀", astral.decode(astral.encode("😀")));
    }

    @Test
    void windowsPredictTheNextCharacter() {
        int[] tokens = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        CharDataset ds = new CharDataset(tokens, 3);
        assertEquals(3, ds.size()); // inputs start at 0, 3, 6; the last target is token 9
        Batch b = ds.batch(new int[] {2, 0});
        assertArrayEquals(new int[] {2, 3}, b.inputs().shape());
        assertArrayEquals(new int[] {6, 7, 8, 0, 1, 2}, b.inputs().toIntArray());
        assertArrayEquals(new int[] {7, 8, 9, 1, 2, 3}, b.labels().toIntArray());
        CharDataset overlapping = new CharDataset(tokens, 4, 1);
        assertEquals(6, overlapping.size());
        assertArrayEquals(new int[] {6, 7, 8, 9}, overlapping.batch(new int[] {5}).labels().toIntArray());
        assertThrows(IndexOutOfBoundsException.class, () -> ds.batch(new int[] {3}));
        var e = assertThrows(IllegalArgumentException.class, () -> new CharDataset(tokens, 10));
        assertEquals("CharDataset: 10 tokens are too few for one window of 10 plus its next-token target", e.getMessage());
    }

    @Test
    void poemsThroughTheLoader() {
        TextCorpus poems = TangPoems.embedded();
        CharDataset ds = CharDataset.of(poems, 64);
        assertEquals((29_577 - 1 - 64) / 64 + 1, ds.size());
        var loader = new DataLoader(ds, DataLoader.Options.of(16).withShuffle(true).withSeed(3).withWorkers(2));
        try (var epoch = loader.epoch(0)) {
            Batch b = epoch.next();
            assertArrayEquals(new int[] {16, 64}, b.inputs().shape());
            int first = loader.order(0)[0];
            int[] row = Arrays.copyOf(b.inputs().toIntArray(), 64);
            assertEquals(poems.text().substring(first * 64, first * 64 + 64), poems.decode(row));
        }
    }
}
