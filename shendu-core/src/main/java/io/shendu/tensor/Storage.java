package io.shendu.tensor;

/**
 * The memory behind one or more tensors (a tensor and its views share one storage), with a version counter
 * that every in-place write bumps, so autograd can tell when a tensor it saved has changed.
 */
final class Storage {

    final float[] floats;
    final int[] ints;
    private int version;

    private Storage(float[] floats, int[] ints) {
        this.floats = floats;
        this.ints = ints;
    }

    static Storage ofFloats(float[] data) {
        return new Storage(data, null);
    }

    static Storage ofInts(int[] data) {
        return new Storage(null, data);
    }

    int version() {
        return version;
    }

    void bumpVersion() {
        version++;
    }

    int length() {
        return floats != null ? floats.length : ints.length;
    }
}
