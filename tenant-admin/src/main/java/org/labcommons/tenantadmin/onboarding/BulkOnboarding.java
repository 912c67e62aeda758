package org.labcommons.tenantadmin.onboarding;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.i18n.Messages;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Bulk onboarding of member institutions from a spreadsheet: every row goes through the same
 * {@link ApplicationValidator} as the form, plus the checks across rows and against the database
 * (a slug or identity provider used twice in the file, a slug already taken). A dry run reports
 * every problem by row and writes nothing; a commit writes all rows as submitted applications in
 * one transaction, or nothing at all when any row has a problem. With {@code approve}, each
 * committed application is then approved (provisioned) in turn; a row whose approval fails is
 * reported and stays in the queue to be approved again.
 */
@Singleton
public record BulkOnboarding(TenantTransactions tenants,
                             AuditLog audit,
                             Messages messages,
                             Provisioner provisioner,
                             ApplicationRows applications,
                             IssuerRules issuerRules,
                             IdentityProviderTests idpTests) {
    private static final Logger LOG = LoggerFactory.getLogger(BulkOnboarding.class);

    /** A problem in one row (row 1 is the header; 0 means the file as a whole). */
    @Serdeable
    public record RowError(int row, String field, String code, String message) {
    }

    /** One committed row: its application and, with {@code approve}, where approval got. */
    @Serdeable
    public record Created(int row, UUID applicationId, String slug, String status, @Nullable String error) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Report(boolean dryRun, boolean committed, int rows, int validRows, List<RowError> errors,
                         List<Created> created) {
    }

    public Report run(TenantId network, AuditEntry.Actor actor, byte[] file, boolean dryRun, boolean approve,
                      Locale locale) {
        BulkSheet.Parsed parsed;
        try {
            parsed = BulkSheet.parse(file == null ? new byte[0] : file);
        } catch (BulkSheet.Unreadable e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "bulk_unreadable", List.of(new FieldProblem("file", e.code,
                    "validation.onboarding.file_" + e.code, Map.of("maxRows", BulkSheet.MAX_ROWS,
                    "maxMegabytes", BulkSheet.MAX_FILE_BYTES / (1024 * 1024)))));
        }
        List<RowError> errors = new ArrayList<>();
        for (String required : List.of("slug", "nameZh", "nameEn", "regionCode", "contactName", "contactEmail",
                "issuerUrl", "clientId", "adminEmails")) {
            if (!parsed.columns().contains(required)) {
                errors.add(error(locale, 1, required, "missing_column", "validation.onboarding.missing_column", Map.of()));
            }
        }
        List<ApplicationInput> valid = new ArrayList<>();
        List<Integer> validRows = new ArrayList<>();
        if (errors.isEmpty()) {
            Map<String, Integer> slugs = new HashMap<>();
            Map<String, Integer> issuers = new HashMap<>();
            List<ApplicationInput> values = new ArrayList<>();
            List<List<RowError>> rowErrors = new ArrayList<>();
            for (BulkSheet.SheetRow row : parsed.rows()) {
                List<RowError> mine = new ArrayList<>();
                row.cells().forEach((key, value) -> {
                    if (BulkSheet.FORMULA.equals(value)) {
                        mine.add(error(locale, row.number(), key, "formula", "validation.onboarding.formula", Map.of()));
                    }
                });
                Map<String, String> cells = new HashMap<>(row.cells());
                cells.replaceAll((k, v) -> BulkSheet.FORMULA.equals(v) ? "" : v);
                ApplicationValidator.Result checked = ApplicationValidator.validate(input(cells),
                        ApplicationValidator.Mode.COMPLETE, issuerRules);
                for (FieldProblem p : checked.problems()) {
                    mine.add(error(locale, row.number(), p.field(), p.code(), p.messageKey(), p.args()));
                }
                ApplicationInput v = checked.value();
                if (v.slug() != null && slugs.putIfAbsent(v.slug(), row.number()) != null) {
                    mine.add(error(locale, row.number(), "slug", "duplicate", "validation.onboarding.duplicate_in_file",
                            Map.of("row", slugs.get(v.slug()))));
                }
                if (v.issuerUrl() != null && issuers.putIfAbsent(v.issuerUrl(), row.number()) != null) {
                    mine.add(error(locale, row.number(), "issuerUrl", "duplicate", "validation.onboarding.duplicate_in_file",
                            Map.of("row", issuers.get(v.issuerUrl()))));
                }
                values.add(v);
                rowErrors.add(mine);
            }
            tenants.inTenant(network, c -> {
                for (int i = 0; i < values.size(); i++) {
                    ApplicationInput v = values.get(i);
                    int number = parsed.rows().get(i).number();
                    if (v.slug() != null && ApplicationValidator.SLUG.matcher(v.slug()).matches() && slugTaken(v.slug())) {
                        rowErrors.get(i).add(error(locale, number, "slug", "taken", "validation.taken", Map.of()));
                    }
                    if (v.issuerUrl() != null && provisioner.issuerTrusted(v.issuerUrl())) {
                        rowErrors.get(i).add(error(locale, number, "issuerUrl", "taken", "validation.onboarding.issuer_taken", Map.of()));
                    }
                }
                return null;
            });
            for (int i = 0; i < values.size(); i++) {
                if (rowErrors.get(i).isEmpty()) {
                    valid.add(values.get(i));
                    validRows.add(parsed.rows().get(i).number());
                }
                errors.addAll(rowErrors.get(i));
            }
        }
        if (parsed.rows().isEmpty() && errors.isEmpty()) {
            errors.add(error(locale, 0, "file", "empty", "validation.onboarding.file_empty", Map.of()));
        }
        if (dryRun) {
            return new Report(true, false, parsed.rows().size(), valid.size(), errors, List.of());
        }
        if (!errors.isEmpty()) {
            List<FieldProblem> problems = errors.stream().map(e -> new FieldProblem(
                    e.row() > 0 ? "rows[" + e.row() + "]." + e.field() : e.field(), e.code(), "validation.onboarding.as_is",
                    Map.of("text", e.message()))).toList();
            throw new ProblemException(HttpStatus.BAD_REQUEST, "bulk_invalid", problems, errors.size());
        }
        List<UUID> ids = new ArrayList<>();
        tenants.inTenant(network, c -> {
            for (int i = 0; i < valid.size(); i++) {
                UUID id = UUID.randomUUID();
                ApplicationInput v = valid.get(i);
                if (slugTaken(v.slug())) {   // taken since the check above: nothing of this upload stays
                    throw ApplicationStore.slugTaken();
                }
                ApplicationStore.slugChecked(() -> applications.insert(id, "bulk", "submitted", v, null, null));
                audit.append(c, actor.entry("onboarding.application.submitted", "onboarding_application", id.toString(),
                        ApplicationService.details(v, "bulk")));
                ids.add(id);
            }
            audit.append(c, actor.entry("onboarding.bulk.committed", "onboarding_application", null,
                    Map.of("rows", valid.size())));
            return null;
        });
        List<Created> created = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            UUID appId = ids.get(i);
            String status = "submitted";
            String error = null;
            if (approve) {
                try {
                    // as on the application's page: the identity provider is tested first, approval needs it passed
                    if (!idpTests.test(network, actor, appId, locale).ok()) {
                        throw IdentityProviderTests.notTested();
                    }
                    status = provisioner.approve(network, actor, appId).status();
                } catch (ProblemException e) {
                    error = e.code();
                } catch (RuntimeException e) {
                    LOG.warn("bulk approval of application {} failed; it stays in the queue: {}", appId, e.toString());
                    error = "provisioning_failed";
                }
                if (error != null) {
                    status = tenants.inTenant(network, c -> applications.find(appId))
                            .map(Application::status).orElse(status);
                }
            }
            created.add(new Created(validRows.get(i), ids.get(i), valid.get(i).slug(), status, error));
        }
        return new Report(false, true, parsed.rows().size(), valid.size(), List.of(), created);
    }

    private boolean slugTaken(String slug) {
        return applications.slugTaken(slug, null);
    }

    private RowError error(Locale locale, int row, String field, String code, String key, Map<String, Object> args) {
        String message = messages.get(locale, key);
        for (Map.Entry<String, Object> e : args.entrySet()) {
            message = message.replace("{" + e.getKey() + "}", String.valueOf(e.getValue()));
        }
        return new RowError(row, field, code, message);
    }

    private static ApplicationInput input(Map<String, String> cells) {
        String admins = cells.get("adminEmails");
        List<String> adminEmails = admins == null ? List.of()
                : Arrays.stream(admins.split("[;,，；\\s]+")).filter(s -> !s.isBlank()).toList();
        return new ApplicationInput(cells.get("slug"), cells.get("nameZh"), cells.get("nameEn"), cells.get("regionCode"),
                cells.get("timeZone"), cells.get("contactName"), cells.get("contactEmail"), cells.get("language"),
                cells.get("issuerUrl"), cells.get("clientId"), cells.get("nameClaim"), cells.get("emailClaim"),
                adminEmails);
    }
}
