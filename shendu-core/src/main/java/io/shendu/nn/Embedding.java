package io.shendu.nn;

import io.shendu.autograd.NoGrad;
import io.shendu.tensor.Generator;
import io.shendu.tensor.Tensor;

/**
 * A lookup table: {@code y[..., :] = weight[indices[...], :]}, indices int32 of any shape, weight
 * {@code [numEmbeddings, embeddingDim]}, output {@code [..., embeddingDim]}. Repeated indices accumulate their
 * gradients into the same row. Weight initialised N(0, 1), as PyTorch. With a {@code paddingIdx}, that row starts
 * at zero and never gets a gradient (a padding token keeps its embedding).
 */
public final class Embedding extends Module {

    private final int numEmbeddings, embeddingDim;
    private final int paddingIdx;   // -1: none

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, Generator.defaultGenerator());
    }

    public Embedding(int numEmbeddings, int embeddingDim, Generator gen) {
        this(numEmbeddings, embeddingDim, -1, gen, false);
    }

    /** With a padding row; a negative {@code paddingIdx} counts from the end. */
    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, Generator.defaultGenerator());
    }

    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx, Generator gen) {
        this(numEmbeddings, embeddingDim, paddingIdx, gen, true);
    }

    private Embedding(int numEmbeddings, int embeddingDim, int paddingIdx, Generator gen, boolean padded) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got numEmbeddings=" + numEmbeddings
                    + " embeddingDim=" + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = padded ? PoolFunctional.paddingRow("Embedding", paddingIdx, numEmbeddings) : -1;
        Tensor w = registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim));
        Init.normal(w, 0, 1, gen);
        if (padded) {
            try (var ignored = NoGrad.enter()) {
                w.select(0, this.paddingIdx).fill(0f);
            }
        }
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The padding row, or -1 for none. */
    public int paddingIdx() {
        return paddingIdx;
    }

    @Override
    public Tensor forward(Tensor indices) {
        return PoolFunctional.embedding("Embedding", indices, weight(), paddingIdx);
    }

    @Override
    public String describe() {
        return "Embedding(" + numEmbeddings + ", " + embeddingDim + (paddingIdx >= 0 ? ", paddingIdx=" + paddingIdx : "")
                + ")";
    }
}
