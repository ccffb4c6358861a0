package io.shendu.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The epochs of a {@link Trainer#fit} run, and why it stopped. */
public final class History {

    private final List<EpochLogs> epochs = new ArrayList<>();
    private String stopReason;

    void add(EpochLogs logs) {
        epochs.add(logs);
    }

    void stopped(String reason) {
        stopReason = reason;
    }

    public List<EpochLogs> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The last epoch's logs. */
    public EpochLogs last() {
        if (epochs.isEmpty()) throw new IllegalStateException("History: no epoch has run");
        return epochs.get(epochs.size() - 1);
    }

    /** Why training ended early (early stopping, a callback), or null when it ran every epoch. */
    public String stopReason() {
        return stopReason;
    }
}
