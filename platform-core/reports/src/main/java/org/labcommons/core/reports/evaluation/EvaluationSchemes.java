package org.labcommons.core.reports.evaluation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.db.SqlStates;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's evaluation schemes (V48): the built-in ones copied in on first read ({@link #ensureDefaults}), lists,
 * one version, and new versions (validated by {@link SchemeChecks}; the active version of the code is retired, the
 * new one becomes active; audited {@code evaluation_scheme.versioned}).
 */
@Singleton
public record EvaluationSchemes(TenantTransactions tenants, AuditLog audit, SchemeRows rows, JsonMapper json,
                                EvaluationSettings settings) {
    private static final Clock CLOCK = Clock.systemUTC();

    /** Copies the built-in schemes into the tenant when it has none (idempotent; concurrent callers: one wins). */
    public void ensureDefaults(TenantId tenant) {
        if (tenants.inTenant(tenant, c -> rows.countAll()) > 0) {
            return;
        }
        try {
            tenants.inTenant(tenant, c -> {
                Instant now = Instant.now(CLOCK);
                for (Scheme s : List.of(DefaultSchemes.tsinghua(settings.getMinValueFen(), settings.getExplainBelowHours()),
                        DefaultSchemes.national(settings.getMinValueFen(), settings.getExplainBelowHours(),
                                settings.getNationalWeightOperation(),
                                settings.getNationalWeightSharing(), settings.getNationalWeightManagement()))) {
                    insert(c, s, 1, null, now, AuditEntry.Actor.SYSTEM, "evaluation_scheme.seeded");
                }
                return null;
            });
        } catch (DataAccessException e) {
            if (!SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {
                throw e;
            }
        }
    }

    public Scheme.Page list(TenantId tenant, @Nullable String status, int page, int size) {
        ensureDefaults(tenant);
        return tenants.inTenant(tenant, c -> new Scheme.Page(rows.page(status, page * size, size).stream()
                .map(this::view).toList(), rows.count(status), page, size));
    }

    public Optional<Scheme> find(TenantId tenant, UUID id) {
        ensureDefaults(tenant);
        return tenants.inTenant(tenant, c -> rows.find(id).map(this::view));
    }

    /** The active version of a code. */
    public Optional<Scheme> active(TenantId tenant, String code) {
        ensureDefaults(tenant);
        return tenants.inTenant(tenant, c -> rows.active(code).map(this::view));
    }

    /**
     * A new version of {@code basis}'s code from {@code input} (its groups, items, weights, caps, coverage); 400 with
     * field errors when it does not hold together; the basis must be the active version (409 {@code wrong_state}).
     */
    public Scheme newVersion(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID basis, Scheme input) {
        List<FieldProblem> problems = SchemeChecks.check(input);
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        return tenants.inTenant(tenant, c -> {
            SchemeRows.SchemeRow base = rows.find(basis).orElseThrow(ProblemException::notFound);
            if (!"active".equals(base.status())) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", base.status());
            }
            int version = rows.nextVersion(base.code());
            rows.retireActive(base.code());
            Scheme copy = new Scheme(null, base.code(), version, input.nameZh().strip(), input.nameEn().strip(),
                    input.subjectKind(), input.minValueFen(), input.explainBelowHours(), "active", input.note(), null,
                    userId, input.groups());
            UUID id = insert(c, copy, version, userId, Instant.now(CLOCK), actor, "evaluation_scheme.versioned");
            return view(rows.find(id).orElseThrow());
        });
    }

    private UUID insert(Connection c, Scheme s, int version, @Nullable UUID userId, Instant now, AuditEntry.Actor actor,
                        String action) throws SQLException {
        UUID id = UUID.randomUUID();
        rows.insert(id, s.code(), version, s.nameZh(), s.nameEn(), s.subjectKind(), s.minValueFen(),
                s.explainBelowHours(), s.note(), now, userId);
        int g = 0;
        for (Scheme.Group group : s.groups()) {
            g++;
            rows.insertGroup(id, g, group.code(), group.nameZh(), group.nameEn(), group.weight(), group.cap());
            int i = 0;
            for (Scheme.Item item : group.items()) {
                rows.insertItem(id, g, ++i, item.code(), item.nameZh(), item.nameEn(), item.input(), item.rule().kind(),
                        write(item.rule()));
            }
        }
        audit.append(c, actor.entry(action, "evaluation_scheme", id.toString(),
                Map.of("code", s.code(), "version", version)));
        return id;
    }

    private Scheme view(SchemeRows.SchemeRow r) {
        List<SchemeRows.ItemRow> items = rows.items(r.id());
        List<Scheme.Group> groups = new ArrayList<>();
        for (SchemeRows.GroupRow g : rows.groups(r.id())) {
            groups.add(new Scheme.Group(g.code(), g.nameZh(), g.nameEn(), g.weight(), g.cap(), items.stream()
                    .filter(i -> i.groupSeq() == g.seq())
                    .map(i -> new Scheme.Item(i.code(), i.nameZh(), i.nameEn(), i.input(), read(i.rule()))).toList()));
        }
        return new Scheme(r.id(), r.code(), r.version(), r.nameZh(), r.nameEn(), r.subjectKind(), r.minValueFen(),
                r.explainBelowHours(), r.status(), r.note(), r.createdAt(), r.createdBy(), groups);
    }

    private String write(Scheme.Rule rule) {
        try {
            return json.writeValueAsString(rule);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Scheme.Rule read(String text) {
        try {
            return json.readValue(text, Scheme.Rule.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Weights of a scheme's groups as they sum (for checks and the docs). */
    static BigDecimal weightSum(Scheme s) {
        return s.groups().stream().map(Scheme.Group::weight).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
