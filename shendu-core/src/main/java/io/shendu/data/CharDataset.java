package io.shendu.data;

import io.shendu.tensor.Tensor;

import java.util.Objects;

/**
 * Windows of a token sequence for next-character prediction: example {@code i} is the {@code seqLength} tokens
 * from {@code i·stride} as input and the same window moved on by one as target. A batch is int32
 * {@code inputs [B, T]} and {@code labels [B, T]}.
 */
public final class CharDataset implements Dataset {

    private final int[] tokens;
    private final int seqLength, stride;

    /** Non-overlapping windows ({@code stride = seqLength}). */
    public CharDataset(int[] tokens, int seqLength) {
        this(tokens, seqLength, seqLength);
    }

    public CharDataset(int[] tokens, int seqLength, int stride) {
        if (seqLength <= 0 || stride <= 0) {
            throw new IllegalArgumentException("CharDataset: seqLength and stride must be positive, got " + seqLength + " and " + stride);
        }
        if (tokens.length < seqLength + 1) {
            throw new IllegalArgumentException("CharDataset: " + tokens.length + " tokens are too few for one window of "
                    + seqLength + " plus its next-token target");
        }
        this.tokens = tokens.clone();
        this.seqLength = seqLength;
        this.stride = stride;
    }

    public static CharDataset of(TextCorpus corpus, int seqLength) {
        return new CharDataset(corpus.tokens(), seqLength);
    }

    public int seqLength() {
        return seqLength;
    }

    @Override
    public int size() {
        return (tokens.length - 1 - seqLength) / stride + 1;
    }

    @Override
    public Batch batch(int[] indices) {
        int t = seqLength;
        int[] inputs = new int[indices.length * t];
        int[] targets = new int[indices.length * t];
        for (int i = 0; i < indices.length; i++) {
            int start = Objects.checkIndex(indices[i], size()) * stride;
            System.arraycopy(tokens, start, inputs, i * t, t);
            System.arraycopy(tokens, start + 1, targets, i * t, t);
        }
        return new Batch(Tensor.ofInts(inputs, indices.length, t), Tensor.ofInts(targets, indices.length, t));
    }
}
