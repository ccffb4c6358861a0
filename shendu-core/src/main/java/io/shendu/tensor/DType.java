package io.shendu.tensor;

/** Element types. Floating tensors are float32; labels and indices are 32-bit integers. */
public enum DType {
    FLOAT32, INT32;

    public String torchName() {
        return this == FLOAT32 ? "float32" : "int32";
    }
}
