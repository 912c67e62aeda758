package org.labcommons.core.reports.evaluation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A yearly evaluation run (V49 {@code evaluation_run}) with, when read alone, its scores; {@code unchanged} is true
 * on a start that found nothing different from the latest published run (no new version was made).
 */
@Serdeable
public record Run(UUID id, UUID schemeId, String schemeCode, int schemeVersion, int year, int version, String status,
                  @Nullable UUID previousRunId, int covered, int scored, @Nullable BigDecimal meanHours,
                  @Nullable BigDecimal sdHours, @Nullable BigDecimal meanScore, @Nullable BigDecimal sdScore,
                  long minValueFen, Instant computedAt, @Nullable Instant publishedAt, @Nullable UUID publishedBy,
                  boolean unchanged, @Nullable List<Score> scores) {

    /** One instrument's score, linked to the inputs it was computed from. */
    @Serdeable
    public record Score(UUID instrumentId, String assetNumber, String nameZh, String nameEn, long valueFen,
                        @Nullable BigDecimal effectiveHours, @Nullable BigDecimal total, @Nullable Integer rank,
                        ScoreCard card, EvaluationInputs inputs) {
    }

    @Serdeable
    public record Page(List<Run> items, long total, int page, int size) {
    }

    /** What changed between two runs: instruments added, removed or with other figures or scores. */
    @Serdeable
    public record Diff(UUID runId, UUID againstRunId, List<Change> changes) {
    }

    /**
     * One instrument's change ({@code added}, {@code removed}, {@code changed}): totals and ranks before and after,
     * the figures whose values differ and the items whose points differ.
     */
    @Serdeable
    public record Change(UUID instrumentId, String assetNumber, String change, @Nullable BigDecimal totalBefore,
                         @Nullable BigDecimal totalAfter, @Nullable Integer rankBefore, @Nullable Integer rankAfter,
                         List<Delta> figures, List<Delta> items) {
    }

    /** A figure (by name) or an item ({@code group.item}) before and after. */
    @Serdeable
    public record Delta(String name, @Nullable BigDecimal before, @Nullable BigDecimal after) {
    }
}
