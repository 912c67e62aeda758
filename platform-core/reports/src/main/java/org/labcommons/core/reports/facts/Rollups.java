package org.labcommons.core.reports.facts;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The query service of the rollups (V46): an instrument's year for the evaluation, a tenant's months and its
 * instruments by user class (an institution's own drill-down), and a network's or consortium's members as aggregates
 * only (V47's {@code facts_member_aggregates}, answered only for the tenant bound to the transaction). Months and
 * years are the tenant's calendar (days were bucketed in its zone when the events came).
 */
@Singleton
public record Rollups(TenantTransactions tenants, FactQueryRows rows) {

    /** One instrument's calendar year. */
    public InstrumentYearFigures instrumentYear(TenantId tenant, UUID instrument, int year) {
        LocalDate from = LocalDate.of(year, 1, 1);
        LocalDate to = from.plusYears(1);
        return tenants.inTenant(tenant, c -> {
            long effective = 0;
            long booked = 0;
            long external = 0;
            long samples = 0;
            long revenue = 0;
            long externalRevenue = 0;
            Map<String, Long> byType = zeros(Contribution.SERVICE_TYPES);
            Map<String, Long> byClass = zeros(Contribution.USER_CLASSES);
            for (FactQueryRows.Cell cell : rows.instrument(instrument, from, to)) {
                effective += cell.effectiveMin();
                booked += cell.bookedMin();
                samples += cell.samples();
                revenue += cell.revenueFen();
                if (!"internal".equals(cell.userClass())) {
                    external += cell.effectiveMin();
                    externalRevenue += cell.revenueFen();
                }
                byType.merge(cell.serviceType(), cell.effectiveMin(), Long::sum);
                byClass.merge(cell.userClass(), cell.effectiveMin(), Long::sum);
            }
            return new InstrumentYearFigures(instrument, year, hours(effective), hours(booked), hours(external),
                    samples, revenue, externalRevenue, rows.users(instrument, from, to),
                    rows.projects(instrument, from, to), rows.trainees(instrument, from, to), hours(byType),
                    hours(byClass));
        });
    }

    /** A tenant's months of a year by user class (one instrument's when given). */
    public FactsViews.Months months(TenantId tenant, int year, @Nullable UUID instrument) {
        LocalDate from = LocalDate.of(year, 1, 1);
        return tenants.inTenant(tenant, c -> {
            List<FactsViews.Month> items = new ArrayList<>();
            for (FactQueryRows.MonthCell m : rows.months(from, from.plusYears(1), instrument)) {
                items.add(new FactsViews.Month(YearMonth.from(m.month()).toString(), m.userClass(),
                        hours(m.effectiveMin()), hours(m.bookedMin()), m.samples(), m.revenueFen(), m.distinctUsers()));
            }
            return new FactsViews.Months(year, instrument, items);
        });
    }

    /** A tenant's instruments by user class over the months {@code [from, to]}, a page at a time. */
    public FactsViews.InstrumentPage instruments(TenantId tenant, YearMonth from, YearMonth to,
                                                 @Nullable String userClass, @Nullable UUID instrument, int page,
                                                 int size) {
        LocalDate start = from.atDay(1);
        LocalDate end = to.plusMonths(1).atDay(1);
        return tenants.inTenant(tenant, c -> {
            List<FactsViews.InstrumentRow> items = new ArrayList<>();
            for (FactQueryRows.InstrumentCell i : rows.instruments(start, end, userClass, instrument, size,
                    (long) page * size)) {
                items.add(new FactsViews.InstrumentRow(i.instrumentId(), i.userClass(), hours(i.effectiveMin()),
                        hours(i.bookedMin()), i.samples(), i.revenueFen(), i.distinctUsers(), i.distinctProjects()));
            }
            return new FactsViews.InstrumentPage(from.toString(), to.toString(), items,
                    rows.countInstruments(start, end, userClass, instrument), page, size);
        });
    }

    /**
     * The member institutions of a network or consortium ({@code scope}, the acting tenant) over the months
     * {@code [from, to]}: aggregates per institution and their total, never an instrument or a person.
     */
    public FactsViews.MemberPage members(TenantId scope, YearMonth from, YearMonth to, int page, int size) {
        LocalDate start = from.atDay(1);
        LocalDate end = to.plusMonths(1).atDay(1);
        return tenants.inTenant(scope, c -> {
            List<FactsViews.Member> items = new ArrayList<>();
            for (FactQueryRows.MemberCell m : rows.members(scope.value(), start, end, size, (long) page * size)) {
                items.add(member(m));
            }
            return new FactsViews.MemberPage(from.toString(), to.toString(), items,
                    member(rows.membersTotal(scope.value(), start, end)), rows.countMembers(scope.value(), start, end),
                    page, size);
        });
    }

    private static FactsViews.Member member(FactQueryRows.MemberCell m) {
        return new FactsViews.Member(m.tenantId(), m.slug(), m.nameZh(), m.nameEn(), m.instruments(),
                hours(m.effectiveMin()), hours(m.externalMin()), hours(m.bookedMin()), m.samples(), m.revenueFen(),
                m.externalRevenueFen(), m.distinctUsers(), m.distinctProjects(), m.trainees());
    }

    private static Map<String, Long> zeros(List<String> keys) {
        Map<String, Long> m = new LinkedHashMap<>();
        keys.forEach(k -> m.put(k, 0L));
        return m;
    }

    private static Map<String, Double> hours(Map<String, Long> minutes) {
        Map<String, Double> m = new LinkedHashMap<>();
        minutes.forEach((k, v) -> m.put(k, hours(v)));
        return m;
    }

    /** Minutes as hours, unrounded (a double: exact for every whole minute up to 2^53). */
    static double hours(long minutes) {
        return minutes / 60.0;
    }
}
