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

    /** On a resumed run, keeps the epochs already written (up to the restored epoch). */
    @Override
    public void onTrainBegin(Trainer trainer) {
        rows.clear();
        if (trainer.epochsDone() > 0) {
            for (EpochLogs r : read(dir)) if (r.epoch() <= trainer.epochsDone()) rows.add(r);
        }
    }

    /** The epochs recorded in {@code dir/history.json}, or none when there is no such file. */
    public static List<EpochLogs> read(Path dir) {
        Path file = dir.resolve("history.json");
        List<EpochLogs> out = new ArrayList<>();
        if (!java.nio.file.Files.exists(file)) return out;
        Object parsed;
        try {
            parsed = Json.parse(java.nio.file.Files.readString(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof List<?> list)) throw new IllegalArgumentException(file + ": expected a JSON list of epochs");
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException(file + ": expected an object per epoch");
            out.add(new EpochLogs((int) num(m, "epoch"), num(m, "loss"), num(m, "accuracy"), num(m, "val_loss"),
                    num(m, "val_accuracy"), num(m, "lr"), num(m, "seconds"), num(m, "images_per_second")));
        }
        return out;
    }

    private static double num(Map<?, ?> m, String key) {
        return m.get(key) instanceof Json.Number n ? n.doubleValue() : Double.NaN;
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
