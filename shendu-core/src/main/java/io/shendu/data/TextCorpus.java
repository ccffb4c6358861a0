package io.shendu.data;

import java.util.Arrays;

/**
 * A text and its character vocabulary, for character-level language models. The vocabulary is the sorted distinct
 * Unicode code points of the text; a character's index is its position there.
 */
public final class TextCorpus {

    private final String text;
    private final int[] vocabulary; // sorted code points
    private final int[] tokens;

    private TextCorpus(String text) {
        this.text = text;
        this.vocabulary = text.codePoints().distinct().sorted().toArray();
        this.tokens = encode(text);
    }

    public static TextCorpus of(String text) {
        if (text.isEmpty()) throw new IllegalArgumentException("TextCorpus: the text is empty");
        return new TextCorpus(text);
    }

    public String text() {
        return text;
    }

    /** The number of characters (code points) of the text. */
    public int length() {
        return tokens.length;
    }

    public int vocabSize() {
        return vocabulary.length;
    }

    /** The whole text, encoded (a copy). */
    public int[] tokens() {
        return tokens.clone();
    }

    /** The vocabulary in index order, as one string. */
    public String vocabulary() {
        return new String(vocabulary, 0, vocabulary.length);
    }

    /** The index of a character, or an exception if the text never uses it. */
    public int indexOf(int codePoint) {
        int i = Arrays.binarySearch(vocabulary, codePoint);
        if (i < 0) {
            throw new IllegalArgumentException("TextCorpus: '" + Character.toString(codePoint) + "' (U+"
                    + String.format("%04X", codePoint) + ") is not in the vocabulary of " + vocabulary.length + " characters");
        }
        return i;
    }

    /** The character at vocabulary index {@code index}. */
    public String character(int index) {
        if (index < 0 || index >= vocabulary.length) {
            throw new IndexOutOfBoundsException("TextCorpus: index " + index + " is outside the vocabulary 0.." + (vocabulary.length - 1));
        }
        return Character.toString(vocabulary[index]);
    }

    public int[] encode(CharSequence s) {
        return s.codePoints().map(this::indexOf).toArray();
    }

    public String decode(int... indices) {
        StringBuilder sb = new StringBuilder(indices.length);
        for (int i : indices) sb.append(character(i));
        return sb.toString();
    }
}
