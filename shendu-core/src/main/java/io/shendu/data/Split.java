package io.shendu.data;

/** Which part of a data set with a fixed train/test division to load. */
public enum Split {
    TRAIN, TEST
}
