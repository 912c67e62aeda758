package org.labcommons.core.reports.evaluation;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

/** The difference between two runs' scores (pure): per instrument, the figures and item points that differ. */
final class RunDiff {
    private RunDiff() {
    }

    static Run.Diff between(Run after, Run before) {
        Map<UUID, Run.Score> old = new LinkedHashMap<>();
        before.scores().forEach(s -> old.put(s.instrumentId(), s));
        List<Run.Change> changes = new ArrayList<>();
        for (Run.Score now : after.scores()) {
            Run.Score was = old.remove(now.instrumentId());
            if (was == null) {
                changes.add(new Run.Change(now.instrumentId(), now.assetNumber(), "added", null, now.total(), null,
                        now.rank(), List.of(), List.of()));
                continue;
            }
            List<Run.Delta> figures = deltas(was.inputs().figures(), now.inputs().figures());
            List<Run.Delta> items = deltas(points(was.card()), points(now.card()));
            if (!figures.isEmpty() || !items.isEmpty() || !same(was.total(), now.total())
                    || !Objects.equals(was.rank(), now.rank())) {
                changes.add(new Run.Change(now.instrumentId(), now.assetNumber(), "changed", was.total(), now.total(),
                        was.rank(), now.rank(), figures, items));
            }
        }
        old.values().forEach(was -> changes.add(new Run.Change(was.instrumentId(), was.assetNumber(), "removed",
                was.total(), null, was.rank(), null, List.of(), List.of())));
        return new Run.Diff(after.id(), before.id(), changes);
    }

    private static Map<String, BigDecimal> points(ScoreCard card) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        card.groups().forEach(g -> g.items().forEach(i -> out.put(g.code() + "." + i.code(), i.points())));
        return out;
    }

    private static List<Run.Delta> deltas(Map<String, BigDecimal> before, Map<String, BigDecimal> after) {
        List<Run.Delta> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String n : names) {
            if (!same(before.get(n), after.get(n))) {
                out.add(new Run.Delta(n, before.get(n), after.get(n)));
            }
        }
        return out;
    }

    private static boolean same(@Nullable BigDecimal a, @Nullable BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }
}
