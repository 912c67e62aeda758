package org.labcommons.core.reports.evaluation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentQuery;
import org.labcommons.core.catalog.InstrumentService;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Yearly evaluation runs of one tenant (V49). {@link #start}: every covered instrument (original value at least the
 * scheme's {@code minValueFen}, else the configured default, or flagged for benefit evaluation in the catalogue; not
 * archived, not retired) is scored by {@link ScoringEngine} from {@link EvaluationFacts}; its card and inputs are
 * stored with it. Population figures (mean and population standard deviation of effective hours and of the totals)
 * and ranks (competition ranking: ties share a rank) cover the instruments whose total is available. A draft is
 * recomputed in place; after a publication, a start whose scores and inputs differ makes the next version (else it
 * answers the published run, {@code unchanged}). Instruments below the scheme's hours get an explanation task.
 * {@link #publish} freezes a draft and supersedes the code's and year's earlier publication. Audited
 * {@code evaluation_run.started|recomputed|published}.
 */
@Singleton
public record EvaluationRuns(TenantTransactions tenants, AuditLog audit, RunRows rows, FigureRows figures,
                             EvaluationSchemes schemes, EvaluationFacts facts, InstrumentService instruments,
                             EvaluationSettings settings, JsonMapper json) {
    private static final Clock CLOCK = Clock.systemUTC();

    /** The result of a start: the run, and whether it is a new one (201) or recomputed/unchanged (200). */
    public record Started(Run run, boolean created) {
    }

    private record Computed(Instrument instrument, EvaluationInputs inputs, ScoreCard card) {
        @Nullable BigDecimal hours() {
            return inputs.figure(EvaluationInputs.EFFECTIVE_HOURS);
        }
    }

    public Started start(TenantId tenant, AuditEntry.Actor actor, UUID userId, Scheme scheme, int year) {
        if (!"active".equals(scheme.status()) || !"instrument".equals(scheme.subjectKind())) {
            throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", scheme.status() + "/" + scheme.subjectKind());
        }
        long minValue = scheme.minValueFen() != null ? scheme.minValueFen() : settings.getMinValueFen();
        List<Computed> computed = new ArrayList<>();
        for (Instrument i : covered(tenant, minValue)) {
            EvaluationInputs in = facts.inputs(tenant, i, year);
            computed.add(new Computed(i, in, ScoringEngine.score(scheme, in)));
        }
        computed.sort(Comparator.comparing((Computed c) -> c.instrument().assetNumber())
                .thenComparing(c -> c.instrument().id()));
        Map<UUID, Integer> ranks = ranks(computed);
        List<BigDecimal> hours = computed.stream().filter(c -> c.card().available()).map(Computed::hours).toList();
        List<BigDecimal> totals = computed.stream().filter(c -> c.card().available()).map(c -> c.card().total()).toList();
        String fingerprint = fingerprint(scheme, computed);
        Instant now = Instant.now(CLOCK);
        return tenants.inTenant(tenant, c -> {
            Optional<RunRows.RunRow> draft = rows.draft(scheme.code(), year);
            Optional<RunRows.RunRow> latest = rows.latest(scheme.code(), year);
            UUID id;
            boolean created;
            if (draft.isPresent()) {
                id = draft.get().id();
                rows.lock(id);
                rows.deleteScores(id);
                rows.recomputed(id, scheme.id(), computed.size(), totals.size(), ScoringEngine.mean(hours),
                        ScoringEngine.standardDeviation(hours), ScoringEngine.mean(totals),
                        ScoringEngine.standardDeviation(totals), minValue, fingerprint, now, userId);
                created = false;
            } else if (latest.isPresent() && latest.get().fingerprint().equals(fingerprint)) {
                return new Started(view(latest.get(), true, true), false);
            } else {
                id = UUID.randomUUID();
                rows.insert(id, scheme.id(), scheme.code(), year, rows.nextVersion(scheme.code(), year),
                        latest.map(RunRows.RunRow::id).orElse(null), computed.size(), totals.size(),
                        ScoringEngine.mean(hours), ScoringEngine.standardDeviation(hours), ScoringEngine.mean(totals),
                        ScoringEngine.standardDeviation(totals), minValue, fingerprint, now, userId);
                created = true;
            }
            int tasks = 0;
            for (Computed x : computed) {
                Instrument i = x.instrument();
                rows.insertScore(id, i.id(), i.assetNumber(), i.nameZh(), i.nameEn(), i.originalValueFen(), x.hours(),
                        x.card().total(), ranks.get(i.id()), write(x.card()), write(x.inputs()));
                if (scheme.explainBelowHours() != null && x.hours() != null
                        && x.hours().compareTo(scheme.explainBelowHours()) < 0) {
                    tasks += (int) figures.openTask(UUID.randomUUID(), i.id(), scheme.code(), year, id, x.hours(),
                            scheme.explainBelowHours(), now);
                }
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("schemeCode", scheme.code());
            details.put("schemeVersion", scheme.version());
            details.put("year", year);
            details.put("covered", computed.size());
            details.put("scored", totals.size());
            details.put("explanationTasks", tasks);
            audit.append(c, actor.entry(created ? "evaluation_run.started" : "evaluation_run.recomputed",
                    "evaluation_run", id.toString(), details));
            return new Started(view(rows.find(id).orElseThrow(), true, false), created);
        });
    }

    public Run publish(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID id) {
        Instant now = Instant.now(CLOCK);
        return tenants.inTenant(tenant, c -> {
            rows.lock(id).orElseThrow(ProblemException::notFound);
            RunRows.RunRow run = rows.find(id).orElseThrow();
            if (rows.publish(id, now, userId) == 0) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", run.status());
            }
            List<UUID> superseded = rows.supersedeOthers(id, run.schemeCode(), run.year());
            audit.append(c, actor.entry("evaluation_run.published", "evaluation_run", id.toString(),
                    Map.of("year", run.year(), "version", run.version(), "superseded",
                            superseded.stream().map(UUID::toString).toList())));
            return view(rows.find(id).orElseThrow(), false, false);
        });
    }

    public Optional<Run> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> rows.find(id).map(r -> view(r, true, false)));
    }

    public Run.Page list(TenantId tenant, @Nullable Integer year, @Nullable String code, int page, int size) {
        return tenants.inTenant(tenant, c -> new Run.Page(rows.page(year, code, page * size, size).stream()
                .map(r -> view(r, false, false)).toList(), rows.count(year, code), page, size));
    }

    /** The difference between a run and {@code against} (default: the run it followed); 409 when there is none. */
    public Run.Diff diff(TenantId tenant, UUID id, @Nullable UUID against) {
        Run run = find(tenant, id).orElseThrow(ProblemException::notFound);
        UUID other = against != null ? against : run.previousRunId();
        if (other == null) {
            throw new ProblemException(HttpStatus.CONFLICT, "no_previous_run");
        }
        Run before = find(tenant, other).orElseThrow(ProblemException::notFound);
        return RunDiff.between(run, before);
    }

    private List<Instrument> covered(TenantId tenant, long minValue) {
        Map<UUID, Instrument> found = new LinkedHashMap<>();
        for (String flag : new String[] {null, "benefitEvaluation"}) {
            for (int offset = 0; ; offset += 200) {
                InstrumentService.Page page = instruments.list(tenant, new InstrumentQuery(null, null, null, null, null,
                        flag == null ? minValue : null, null, null, null, flag, null, false, "assetNumber", false,
                        offset, 200));
                page.items().stream().filter(i -> !"retired".equals(i.status())).forEach(i -> found.put(i.id(), i));
                if (page.items().size() < 200) {
                    break;
                }
            }
        }
        return List.copyOf(found.values());
    }

    /** Competition ranking of the available totals, best first: 1, 1, 3. */
    static Map<UUID, Integer> ranks(List<Computed> computed) {
        List<Computed> ranked = computed.stream().filter(c -> c.card().available())
                .sorted(Comparator.comparing((Computed c) -> c.card().total()).reversed()).toList();
        Map<UUID, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < ranked.size(); i++) {
            BigDecimal t = ranked.get(i).card().total();
            int rank = i > 0 && ranked.get(i - 1).card().total().compareTo(t) == 0
                    ? out.get(ranked.get(i - 1).instrument().id()) : i + 1;
            out.put(ranked.get(i).instrument().id(), rank);
        }
        return out;
    }

    private String fingerprint(Scheme scheme, List<Computed> computed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(scheme.id().toString().getBytes(StandardCharsets.UTF_8));
            for (Computed x : computed) {
                sha.update(x.instrument().id().toString().getBytes(StandardCharsets.UTF_8));
                sha.update(write(x.card()).getBytes(StandardCharsets.UTF_8));
                sha.update(write(x.inputs()).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Run view(RunRows.RunRow r, boolean withScores, boolean unchanged) {
        List<Run.Score> scores = withScores ? rows.scores(r.id()).stream().map(s -> new Run.Score(s.instrumentId(),
                s.assetNumber(), s.nameZh(), s.nameEn(), s.valueFen(), s.effectiveHours(), s.total(), s.rank(),
                read(s.card(), ScoreCard.class), read(s.inputs(), EvaluationInputs.class))).toList() : null;
        return new Run(r.id(), r.schemeId(), r.schemeCode(), r.schemeVersion(), r.year(), r.version(), r.status(),
                r.previousRunId(), r.covered(), r.scored(), r.meanHours(), r.sdHours(), r.meanScore(), r.sdScore(),
                r.minValueFen(), r.computedAt(), r.publishedAt(), r.publishedBy(), unchanged, scores);
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
