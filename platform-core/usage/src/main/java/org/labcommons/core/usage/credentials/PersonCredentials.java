package org.labcommons.core.usage.credentials;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.BookingPeopleRows;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.labcommons.core.usage.grants.GrantPublisher;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * People's cards and PC login names ({@code person_credential}), by which the session builder and the interlock know
 * who is at an instrument. A card value is normalised (upper case; spaces, colons and dashes removed) and must then
 * be 4-64 letters and digits; a login is kept as written (trimmed). A value belongs to one person per tenant: adding
 * one another person holds is 409 {@code credential_taken}. Changes are audited and sent to
 * {@code access.grants.v1} after they committed (a removed credential as a tombstone). The holder must be a person
 * of the tenant (a member, or an outside user with a role there).
 */
@Singleton
public record PersonCredentials(TenantTransactions tenants, PersonCredentialRows rows, BookingPeopleRows people,
                                AuditLog audit, BookingClock clock, AccessPolicy access, GrantPublisher grants) {
    /** The largest CSV import read. */
    public static final int MAX_IMPORT_BYTES = 5 * 1024 * 1024;
    private static final Pattern CARD = Pattern.compile("[0-9A-Z]{4,64}");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s:\\-]");

    /** A new credential. */
    @Serdeable
    public record Input(@Nullable String kind, @Nullable String value, @Nullable UUID userId, @Nullable String label,
                        @Nullable Instant validUntil) {
    }

    /** A credential as lists show it. */
    @Serdeable
    public record Credential(String kind, String value, UUID userId, @Nullable String displayName, @Nullable String email,
                             @Nullable String label, String source, @Nullable Instant validUntil, Instant createdAt) {
    }

    /** A page of credentials. */
    @Serdeable
    public record Page(List<Credential> items, long total, int page, int size) {
    }

    /** One line of an import and what became of it: imported, updated, unknown_person, duplicate, bad_card_number. */
    @Serdeable
    public record ImportLine(int line, String outcome, @Nullable String card, @Nullable String person) {
    }

    /** What an import did, with the counts per outcome and the line-by-line report. */
    @Serdeable
    public record ImportReport(String encoding, String personColumn, int imported, int updated, int unknownPerson,
                               int duplicate, int badCardNumber, List<ImportLine> lines) {
    }

    /** A card number as readers and card systems write it, normalised: upper case, no spaces, colons or dashes. */
    public static String normaliseCard(String raw) {
        return SEPARATORS.matcher(raw).replaceAll("").toUpperCase(Locale.ROOT);
    }

    /** The value as stored for its kind, or null when it is not a valid value of that kind. */
    public static @Nullable String normalise(String kind, @Nullable String raw) {
        if (raw == null) {
            return null;
        }
        if ("card".equals(kind)) {
            String card = normaliseCard(raw);
            return CARD.matcher(card).matches() ? card : null;
        }
        String login = raw.strip();
        return login.isEmpty() || login.length() > 256 || login.chars().anyMatch(Character::isISOControl) ? null : login;
    }

    /** Whether the caller may see and change every credential of their acting tenant (staff and institution admins). */
    public boolean mayManage(AuthenticatedUser user) {
        // cards are tenant-wide: whoever may authorise users on some instrument (instrument admins and above)
        return access.allowsSomewhere(user.roles(), Action.AUTHORISE_USERS);
    }

    /** The caller when they may manage credentials; else 403. */
    public AuthenticatedUser requireManager(AuthenticatedUser user) {
        if (!mayManage(user)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return user;
    }

    /** A page of the tenant's credentials (only {@code userId}'s, of {@code kind}, matching {@code q}, when given). */
    public Page list(TenantId tenant, @Nullable UUID userId, @Nullable String kind, @Nullable String q, int page, int size) {
        String query = q == null || q.isBlank() ? null : q.strip();
        return tenants.inTenant(tenant, c -> new Page(rows.page(userId, kind, query, page * size, size).stream()
                .map(l -> new Credential(l.kind(), l.value(), l.userId(), l.displayName(), l.email(), l.label(), l.source(),
                        l.validUntil(), l.createdAt())).toList(), rows.count(userId, kind, query), page, size));
    }

    /** Adds a credential; 400 for a bad field, 409 {@code credential_taken} when the value is another person's. */
    public Credential add(TenantId tenant, AuditEntry.Actor actor, UUID by, Input in) {
        List<FieldProblem> problems = new ArrayList<>();
        String kind = in.kind();
        if (kind == null || !List.of("card", "login").contains(kind)) {
            problems.add(new FieldProblem("kind", "pattern", "validation.pattern", Map.of()));
        }
        String value = kind == null ? null : normalise(kind, in.value());
        if (in.value() == null || in.value().isBlank()) {
            problems.add(new FieldProblem("value", "not_blank", "validation.not_blank", Map.of()));
        } else if (value == null && kind != null) {
            problems.add(new FieldProblem("value", "pattern", "card".equals(kind) ? "validation.card_number"
                    : "validation.pattern", Map.of()));
        }
        if (in.userId() == null) {
            problems.add(new FieldProblem("userId", "not_null", "validation.not_null", Map.of()));
        }
        if (in.label() != null && in.label().length() > 200) {
            problems.add(new FieldProblem("label", "size", "validation.size", Map.of("min", 0, "max", 200)));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        Credential added = tenants.inTenant(tenant, c -> {
            if (people.mayBookById(in.userId()).isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                        new FieldProblem("userId", "unknown", "validation.unknown_reference", Map.of())));
            }
            var existing = rows.find(kind, value);
            if (existing.isPresent()) {
                if (!existing.get().userId().equals(in.userId())) {
                    throw new ProblemException(HttpStatus.CONFLICT, "credential_taken", List.of(
                            new FieldProblem("value", "taken", "validation.taken", Map.of())));
                }
                rows.refresh(kind, value, in.userId(), in.label(), "staff", in.validUntil());
            } else {
                rows.insert(kind, value, in.userId(), in.label(), "staff", in.validUntil(), clock.now(), by);
            }
            audit.append(c, actor.entry("credential.added", "user", in.userId().toString(),
                    Map.of("kind", kind, "value", value)));
            return read(kind, value);
        });
        grants.credentialQuietly(tenant, kind, value, added.userId(), added.validUntil());
        return added;
    }

    /** Removes a credential (404 when the tenant has none such); its tombstone goes to the grant topic. */
    public void remove(TenantId tenant, AuditEntry.Actor actor, String kind, String rawValue) {
        String value = normalise(kind, rawValue);
        if (value == null) {
            throw ProblemException.notFound();
        }
        tenants.inTenant(tenant, c -> {
            var existing = rows.find(kind, value).orElseThrow(ProblemException::notFound);
            rows.remove(kind, value);
            audit.append(c, actor.entry("credential.removed", "user", existing.userId().toString(),
                    Map.of("kind", kind, "value", value)));
            return null;
        });
        grants.credentialQuietly(tenant, kind, value, null, null);
    }

    /**
     * Imports the campus card system's CSV (see {@link CredentialCsv}): each line is judged on its own, so a bad line
     * never stops the good ones. A card another person holds, or one that came earlier in the file, is
     * {@code duplicate}; a person's earlier imported card is replaced by the new one ({@code updated}), as is the
     * same card imported again. 400 {@code validation_failed} on the field {@code file} when the file as a whole
     * cannot be read (no header, no card or person column, too large).
     */
    public ImportReport importCsv(TenantId tenant, AuditEntry.Actor actor, UUID by, byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes.length > MAX_IMPORT_BYTES) {
            throw fileProblem(bytes == null || bytes.length == 0 ? "empty" : "too_large");
        }
        CredentialCsv.Table table;
        try {
            table = CredentialCsv.read(bytes);
        } catch (IllegalArgumentException e) {
            throw fileProblem(e.getMessage());
        }
        List<ImportLine> report = new ArrayList<>();
        List<String[]> sent = new ArrayList<>();   // {value, userId}; userId null: tombstone
        Instant now = clock.now();
        tenants.inTenant(tenant, c -> {
            Set<String> seen = new HashSet<>();
            for (CredentialCsv.Row row : table.rows()) {
                String rawCard = row.cells().size() > table.cardColumn() ? row.cells().get(table.cardColumn()) : "";
                String who = row.cells().size() > table.personColumn() ? row.cells().get(table.personColumn()) : "";
                String card = normalise("card", rawCard);
                if (card == null) {
                    report.add(new ImportLine(row.line(), "bad_card_number", rawCard, who));
                    continue;
                }
                List<BookingPeopleRows.Account> found = who.isBlank() ? List.of()
                        : table.personKind() == CredentialCsv.PersonColumn.EMAIL ? people.mayBookByEmail(who)
                        : people.mayBookBySubject(who);
                if (found.size() != 1) {
                    report.add(new ImportLine(row.line(), "unknown_person", card, who));
                    continue;
                }
                UUID person = found.get(0).id();
                var existing = rows.find("card", card);
                if (!seen.add(card) || existing.isPresent() && !existing.get().userId().equals(person)) {
                    report.add(new ImportLine(row.line(), "duplicate", card, who));
                    continue;
                }
                if (existing.isPresent()) {
                    rows.refresh("card", card, person, existing.get().label(), "import", existing.get().validUntil());
                    report.add(new ImportLine(row.line(), "updated", card, who));
                } else {
                    boolean replaced = false;
                    for (PersonCredentialRows.Row old : rows.heldBy(person, "card", "import")) {
                        if (!seen.contains(old.value())) {
                            rows.remove("card", old.value());
                            sent.add(new String[]{old.value(), null});
                            replaced = true;
                        }
                    }
                    rows.insert("card", card, person, null, "import", null, now, by);
                    report.add(new ImportLine(row.line(), replaced ? "updated" : "imported", card, who));
                }
                sent.add(new String[]{card, person.toString()});
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("lines", report.size());
            details.put("imported", count(report, "imported"));
            details.put("updated", count(report, "updated"));
            details.put("rejected", report.size() - count(report, "imported") - count(report, "updated"));
            audit.append(c, actor.entry("credential.imported", "tenant", tenant.toString(), details));
            return null;
        });
        for (String[] s : sent) {
            grants.credentialQuietly(tenant, "card", s[0], s[1] == null ? null : UUID.fromString(s[1]), null);
        }
        return new ImportReport(table.encoding(), table.personKind().name().toLowerCase(Locale.ROOT),
                count(report, "imported"), count(report, "updated"), count(report, "unknown_person"),
                count(report, "duplicate"), count(report, "bad_card_number"), report);
    }

    private Credential read(String kind, String value) {
        return rows.page(null, kind, value, 0, 50).stream().filter(l -> l.value().equals(value)).findFirst()
                .map(l -> new Credential(l.kind(), l.value(), l.userId(), l.displayName(), l.email(), l.label(), l.source(),
                        l.validUntil(), l.createdAt())).orElseThrow();
    }

    private static int count(List<ImportLine> report, String outcome) {
        return (int) report.stream().filter(l -> l.outcome().equals(outcome)).count();
    }

    private static ProblemException fileProblem(String code) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                new FieldProblem("file", code, "validation.credentials_file." + code, Map.of())));
    }
}
