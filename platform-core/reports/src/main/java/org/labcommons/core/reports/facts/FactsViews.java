package org.labcommons.core.reports.facts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/** The month, instrument and member views {@link Rollups} answers (hours = minutes / 60, money in fen). */
public final class FactsViews {
    private FactsViews() {
    }

    /** A tenant's month and user class. */
    @Serdeable
    public record Month(String month, String userClass, double effectiveHours, double bookedHours, long samples,
                        long revenueFen, long distinctUsers) {
    }

    /** A tenant's months of a year. */
    @Serdeable
    public record Months(int year, @Nullable UUID instrumentId, List<Month> items) {
    }

    /** An instrument and user class over a period (an institution's drill-down). */
    @Serdeable
    public record InstrumentRow(UUID instrumentId, String userClass, double effectiveHours, double bookedHours,
                                long samples, long revenueFen, long distinctUsers, long distinctProjects) {
    }

    /** A page of instrument rows. */
    @Serdeable
    public record InstrumentPage(String from, String to, List<InstrumentRow> items, long total, int page,
                                 int size) {
    }

    /** A member institution's aggregates over a period (null id and names: the total over all members). */
    @Serdeable
    public record Member(@Nullable UUID tenantId, @Nullable String slug, @Nullable String nameZh,
                         @Nullable String nameEn, long instruments, double effectiveHours, double externalHours,
                         double bookedHours, long samples, long revenueFen, long externalRevenueFen,
                         long distinctUsers, long distinctProjects, long trainees) {
    }

    /** A page of members and the total over all of them (users and projects counted once across members). */
    @Serdeable
    public record MemberPage(String from, String to, List<Member> items, Member total, long totalItems, int page,
                             int size) {
    }
}
