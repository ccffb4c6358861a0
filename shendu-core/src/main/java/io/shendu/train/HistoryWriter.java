package io.shendu.train;

import io.shendu.io.AtomicFiles;
import io.shendu.io.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Rewrites {@code history.csv} and {@code history.json} in {@code dir} after every epoch (atomically). */
public final class HistoryWriter implements Callback {

    private final Path dir;
    private final List<EpochLogs> rows = new ArrayList<>();

    public HistoryWriter(Path dir) {
        this.dir = dir;
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochLogs logs) {
        rows.add(logs);
        StringBuilder csv = new StringBuilder(String.join(",", logs.asMap().keySet())).append('\n');
        List<Object> json = new ArrayList<>();
        for (EpochLogs r : rows) {
            Map<String, Double> m = r.asMap();
            List<String> cells = new ArrayList<>();
            m.values().forEach(v -> cells.add(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v)));
            csv.append(String.join(",", cells)).append('\n');
            Map<String, Object> obj = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> obj.put(k, Double.isFinite(v) ? v : null));
            json.add(obj);
        }
        AtomicFiles.writeString(dir.resolve("history.csv"), csv.toString());
        AtomicFiles.writeString(dir.resolve("history.json"), Json.writePretty(json));
    }
}
