package org.labcommons.core.reports.outputs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Outputs of one tenant (V51): recorded by a user ({@code recorded}) or by staff who manage every linked instrument
 * ({@code confirmed} at once); staff who manage one of its instruments confirm a user's. Every change is audited
 * ({@code research_output.created}, {@code .edited}, {@code .confirmed}, {@code .imported}) in its transaction. A DOI
 * is unique in the tenant (400 {@code doi} {@code taken}). Who may ask for what is {@link OutputAccess}'s.
 */
@Singleton
public record Outputs(TenantTransactions tenants, AuditLog audit, BookingClock clock, OutputRows rows) {
    public static final List<String> STATUSES = List.of("recorded", "confirmed");

    /** The normalised input, or 400 with its field problems. */
    public OutputInput checked(OutputInput in) {
        OutputInput n = OutputChecks.normalise(in);
        List<FieldProblem> problems = OutputChecks.check(n, clock.now().atZone(ZoneOffset.UTC).getYear());
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        return n;
    }

    /** A new output ({@code confirmed}: recorded by staff of every linked instrument); {@code in} is checked. */
    public Output create(TenantId tenant, AuditEntry.Actor actor, UUID userId, OutputInput in, boolean confirmed,
                         String source) {
        OutputInput n = checked(in);
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            UUID id = insert(c, actor, userId, n, confirmed, source, now);
            return view(rows.find(id).orElseThrow());
        });
    }

    /** Writes one checked output in the caller's transaction; its id. */
    UUID insert(Connection c, AuditEntry.Actor actor, UUID userId, OutputInput n, boolean confirmed, String source,
                Instant now) throws SQLException {
        UUID id = UUID.randomUUID();
        doiFree(n.doi(), id);
        rows.insert(id, n.kind(), n.category(), n.title(), n.year(), n.people(), n.doi(), n.patentNumber(), n.grantCode(),
                n.bookingId(), n.usageSessionId(), confirmed ? "confirmed" : "recorded", source, userId,
                confirmed ? userId : null, confirmed ? now : null, now);
        for (UUID i : n.instrumentIds().stream().distinct().toList()) {
            rows.link(id, i);
        }
        audit.append(c, actor.entry("research_output." + ("import".equals(source) ? "imported" : "created"),
                "research_output", id.toString(), Map.of("kind", n.kind(), "year", n.year(),
                        "status", confirmed ? "confirmed" : "recorded", "instruments", n.instrumentIds().size())));
        return id;
    }

    /**
     * Rewrites an output ({@code staff}: the caller manages one of its instruments; a user may edit their own only
     * while it is {@code recorded}: 409 {@code wrong_state} after).
     */
    public Output edit(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID id, OutputInput in, boolean staff) {
        OutputInput n = checked(in);
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            OutputRows.Stored s = rows.lock(id).orElseThrow(ProblemException::notFound);
            if (!staff && !"recorded".equals(s.status())) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", s.status());
            }
            doiFree(n.doi(), id);
            rows.update(id, n.kind(), n.category(), n.title(), n.year(), n.people(), n.doi(), n.patentNumber(),
                    n.grantCode(), n.bookingId(), n.usageSessionId(), now);
            rows.unlinkAll(id);
            for (UUID i : n.instrumentIds().stream().distinct().toList()) {
                rows.link(id, i);
            }
            audit.append(c, actor.entry("research_output.edited", "research_output", id.toString(),
                    Map.of("kind", n.kind(), "year", n.year(), "version", s.version() + 1)));
            return view(rows.find(id).orElseThrow());
        });
    }

    /** Staff confirm a recorded output (409 {@code wrong_state} when confirmed already). */
    public Output confirm(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID id) {
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            OutputRows.Stored s = rows.lock(id).orElseThrow(ProblemException::notFound);
            if (rows.confirm(id, userId, now) == 0) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", s.status());
            }
            audit.append(c, actor.entry("research_output.confirmed", "research_output", id.toString(),
                    Map.of("kind", s.kind(), "year", s.year())));
            return view(rows.find(id).orElseThrow());
        });
    }

    public Optional<Output> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> rows.find(id).map(Outputs::view));
    }

    /** A page of outputs (filters null: any), newest year first. */
    public Output.Page list(TenantId tenant, @Nullable UUID instrumentId, @Nullable UUID recordedBy, @Nullable String kind,
                            @Nullable String status, @Nullable Integer year, int page, int size) {
        return tenants.inTenant(tenant, c -> new Output.Page(rows.page(instrumentId, recordedBy, kind, status, year,
                page * size, size).stream().map(Outputs::view).toList(),
                rows.count(instrumentId, recordedBy, kind, status, year), page, size));
    }

    /** The evaluation's figures: the confirmed outputs of {@code year} linked to {@code instrument}. */
    public Output.Year instrumentYear(TenantId tenant, UUID instrument, int year) {
        return tenants.inTenant(tenant, c -> {
            Map<String, Long> papers = new LinkedHashMap<>();
            OutputChecks.CATEGORIES.get("paper").forEach(k -> papers.put(k, 0L));
            papers.put("other", 0L);
            long[] kinds = new long[4];
            for (OutputRows.KindCount k : rows.yearCounts(instrument, year)) {
                kinds[OutputChecks.KINDS.indexOf(k.kind())] += k.count();
                if ("paper".equals(k.kind())) {
                    papers.merge(k.category() == null ? "other" : k.category(), k.count(), Long::sum);
                }
            }
            return new Output.Year(instrument, year, kinds[0], papers, kinds[1], kinds[2], kinds[3]);
        });
    }

    private void doiFree(@Nullable String doi, UUID id) {
        if (doi != null && rows.withDoi(doi, id).isPresent()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed",
                    List.of(new FieldProblem("doi", "taken", "output.validation.doi_taken", Map.of())));
        }
    }

    static Output view(OutputRows.Stored s) {
        List<UUID> instruments = s.instrumentIds() == null ? List.of()
                : Arrays.stream(s.instrumentIds().split(",")).map(UUID::fromString).toList();
        return new Output(s.id(), s.kind(), s.category(), s.title(), s.year(), s.people(), s.doi(), s.patentNumber(),
                s.grantCode(), instruments, s.bookingId(), s.usageSessionId(), s.status(), s.source(), s.recordedBy(),
                s.confirmedBy(), s.confirmedAt(), s.version(), s.createdAt(), s.updatedAt());
    }
}
