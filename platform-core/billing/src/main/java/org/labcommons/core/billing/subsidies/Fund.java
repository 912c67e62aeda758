package org.labcommons.core.billing.subsidies;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A period of the open-testing fund as the API shows it: its days (in the tenant's zone, both included), budget,
 * what it paid ({@code consumedFen}) and has left, the share per user category in basis points (1 bp = 0.01 %) and
 * the default share of the other categories, and its limits (null: every instrument, every unit); {@code coversOutside}:
 * the period also pays its share of the institution's payables for its users' charges at other institutions (V45;
 * only a period without limits does, see {@link FundShares#outsideShares}).
 */
@Serdeable
public record Fund(UUID id, String nameZh, String nameEn, LocalDate startsOn, LocalDate endsOn, long budgetFen,
                   long consumedFen, long leftFen, int defaultShareBp, Map<String, Integer> sharesBp,
                   @Nullable List<UUID> instrumentIds, @Nullable List<UUID> orgUnitIds, boolean active,
                   Instant createdAt, Instant updatedAt, boolean coversOutside) {

    /** The terms of a fund period (create and update). */
    @Serdeable
    public record Input(@Nullable String nameZh, @Nullable String nameEn, @Nullable LocalDate startsOn,
                        @Nullable LocalDate endsOn, @Nullable Long budgetFen, @Nullable Integer defaultShareBp,
                        @Nullable Map<String, Integer> sharesBp, @Nullable List<UUID> instrumentIds,
                        @Nullable List<UUID> orgUnitIds, @Nullable Boolean active, @Nullable Boolean coversOutside) {

        /** Terms that leave {@code coversOutside} as it is (false for a new period). */
        public Input(@Nullable String nameZh, @Nullable String nameEn, @Nullable LocalDate startsOn, @Nullable LocalDate endsOn,
                     @Nullable Long budgetFen, @Nullable Integer defaultShareBp, @Nullable Map<String, Integer> sharesBp,
                     @Nullable List<UUID> instrumentIds, @Nullable List<UUID> orgUnitIds, @Nullable Boolean active) {
            this(nameZh, nameEn, startsOn, endsOn, budgetFen, defaultShareBp, sharesBp, instrumentIds, orgUnitIds, active, null);
        }
    }

    /** A page of fund periods. */
    @Serdeable
    public record Page(List<Fund> items, long total, int page, int size) {
    }

    /** One consumption: a charge posting's share (negative: returned after a waiver or a downward adjustment). */
    @Serdeable
    public record Use(UUID id, UUID chargeId, long chargeVersion, @Nullable String userCategory, int shareBp, long baseFen,
                      long amountFen, Instant createdAt) {
    }

    /** A page of a fund period's consumption, newest first. */
    @Serdeable
    public record UsePage(UUID fundId, List<Use> items, long total, int page, int size) {
    }
}
