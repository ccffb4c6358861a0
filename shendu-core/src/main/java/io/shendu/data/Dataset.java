package io.shendu.data;

/**
 * A finite, indexed collection of examples that a {@link DataLoader} gathers into batches. Implementations are
 * read-only after construction, so worker threads may call {@link #batch} concurrently.
 */
public interface Dataset {

    /** The number of examples. */
    int size();

    /** The examples at {@code indices}, in that order, stacked into one batch. */
    Batch batch(int[] indices);
}
