package org.labcommons.tenantadmin.onboarding;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of {@code onboarding_application}. Call it inside
 * {@code TenantTransactions.inTenant(network, …)}: the reviewing network's tenant is bound, and
 * row level security adds the tenant predicate to every statement.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ApplicationRows extends GenericRepository<ApplicationRows.Row, UUID> {

    /** The columns of an application that the service reads. */
    @MappedEntity("onboarding_application")
    record Row(@Id UUID id, String source, String status, @Nullable String slug, String nameZh, String nameEn,
               @Nullable String regionCode, @Nullable String timeZone, @Nullable String contactName,
               String contactEmail, String language, @Nullable String issuerUrl, @Nullable String clientId,
               @Nullable String nameClaim, @Nullable String emailClaim, @Nullable String[] adminEmails,
               @Nullable String rejectReason, @Nullable Instant reviewedAt, @Nullable String reviewerSubject,
               @Nullable UUID provisionedTenantId, @Nullable Instant submittedAt, Instant createdAt,
               Instant updatedAt, long version, @Nullable Instant invitationExpiresAt) {

        Application toApplication() {
            return new Application(id, source, status, slug, nameZh, nameEn, regionCode, timeZone, contactName,
                    contactEmail, language, issuerUrl, clientId, nameClaim, emailClaim,
                    adminEmails == null ? List.of() : Arrays.asList(adminEmails), rejectReason, reviewedAt,
                    reviewerSubject, provisionedTenantId, submittedAt, createdAt, updatedAt, version);
        }
    }

    Optional<Row> findById(UUID id);

    /** The application, if any. */
    default Optional<Application> find(UUID id) {
        return findById(id).map(Row::toApplication);
    }

    /** The application, locked until the transaction ends. */
    @Query("select * from onboarding_application where id = :id for update")
    Optional<Row> lockRow(UUID id);

    default Optional<Application> lock(UUID id) {
        return lockRow(id).map(Row::toApplication);
    }

    /** A page, newest first; {@code status} filters when given. */
    @Query("select * from onboarding_application where (cast(:status as text) is null or status = :status) "
            + "order by created_at desc, id limit :limit offset :offset")
    List<Row> page(@Nullable String status, int offset, int limit);

    @Query("select count(*) from onboarding_application where (cast(:status as text) is null or status = :status)")
    long count(@Nullable String status);

    /**
     * Whether {@code slug} is taken: a tenant has it, or an open application (invited, submitted,
     * provisioning) of the bound network other than {@code except}.
     */
    @Query("select exists (select 1 from tenant where slug = :slug) or exists (select 1 from onboarding_application "
            + "where slug = :slug and status in ('invited', 'submitted', 'provisioning') "
            + "and (cast(:except as uuid) is null or id <> :except))")
    boolean slugTaken(String slug, @Nullable UUID except);

    /** The invited application whose link's token hashes to {@code tokenHash}, if its link is still valid. */
    @Query("select * from onboarding_application where invitation_token_hash = :tokenHash and status = 'invited' "
            + "and invitation_expires_at > now()")
    Optional<Row> invitedBy(String tokenHash);

    /** {@link #invitedBy}, locked until the transaction ends. */
    @Query("select * from onboarding_application where invitation_token_hash = :tokenHash and status = 'invited' "
            + "and invitation_expires_at > now() for update")
    Optional<Row> lockInvitedBy(String tokenHash);

    /**
     * Inserts an application for the bound network ({@code submitted_at} set when it is submitted).
     * {@code adminEmailLines} holds the addresses one a line (a parameter named after the entity's
     * {@code adminEmails} would be bound as that array column). A slug an open application of the
     * network holds already fails on the partial unique index (23505).
     */
    @Query("insert into onboarding_application (tenant_id, id, source, status, slug, name_zh, name_en, region_code, "
            + "time_zone, contact_name, contact_email, language, issuer_url, client_id, name_claim, email_claim, "
            + "admin_emails, invitation_token_hash, invitation_expires_at, submitted_at) values (app_tenant(), :id, "
            + ":source, :status, :slug, :nameZh, :nameEn, :regionCode, :timeZone, :contactName, :contactEmail, "
            + ":language, :issuerUrl, :clientId, :nameClaim, :emailClaim, string_to_array(:adminEmailLines, chr(10)), "
            + ":tokenHash, :tokenExpires, case when cast(:status as text) = 'submitted' then now() end)")
    long insert(UUID id, String source, String status, @Nullable String slug, String nameZh, String nameEn,
                @Nullable String regionCode, @Nullable String timeZone, @Nullable String contactName,
                String contactEmail, String language, @Nullable String issuerUrl, @Nullable String clientId,
                @Nullable String nameClaim, @Nullable String emailClaim, String adminEmailLines,
                @Nullable String tokenHash, @Nullable Instant tokenExpires);

    /** Inserts the statement {@code v} as a new application of the bound network. */
    default void insert(UUID id, String source, String status, ApplicationInput v, @Nullable String tokenHash,
                        @Nullable Instant tokenExpires) {
        insert(id, source, status, v.slug(), v.nameZh(), v.nameEn(), v.regionCode(), v.timeZone(), v.contactName(),
                v.contactEmail(), v.language(), v.issuerUrl(), v.clientId(), v.nameClaim(), v.emailClaim(),
                lines(v.adminEmails()), tokenHash, tokenExpires);
    }

    /** An invited application completed by the institution: all fields, now submitted. */
    @Query("update onboarding_application set slug = :slug, name_zh = :nameZh, name_en = :nameEn, "
            + "region_code = :regionCode, time_zone = :timeZone, contact_name = :contactName, "
            + "contact_email = :contactEmail, language = :language, issuer_url = :issuerUrl, client_id = :clientId, "
            + "name_claim = :nameClaim, email_claim = :emailClaim, "
            + "admin_emails = string_to_array(:adminEmailLines, chr(10)), "
            + "status = 'submitted', invitation_token_hash = null, invitation_expires_at = null, submitted_at = now(), "
            + "updated_at = now(), version = version + 1 where id = :id and status = 'invited'")
    long complete(UUID id, @Nullable String slug, String nameZh, String nameEn, @Nullable String regionCode,
                  @Nullable String timeZone, @Nullable String contactName, String contactEmail, String language,
                  @Nullable String issuerUrl, @Nullable String clientId, @Nullable String nameClaim,
                  @Nullable String emailClaim, String adminEmailLines);

    /** {@link #complete} with the statement {@code v}. */
    default void complete(UUID id, ApplicationInput v) {
        complete(id, v.slug(), v.nameZh(), v.nameEn(), v.regionCode(), v.timeZone(), v.contactName(), v.contactEmail(),
                v.language(), v.issuerUrl(), v.clientId(), v.nameClaim(), v.emailClaim(), lines(v.adminEmails()));
    }

    /** A new invitation link: its token's hash and expiry. */
    @Query("update onboarding_application set invitation_token_hash = :tokenHash, invitation_expires_at = :expires, "
            + "updated_at = now(), version = version + 1 where id = :id")
    long renewInvitation(UUID id, String tokenHash, Instant expires);

    /** Rejected by a reviewer, with a reason; the invitation link stops working. */
    @Query("update onboarding_application set status = 'rejected', reject_reason = :reason, reviewed_at = now(), "
            + "reviewer_issuer = :reviewerIssuer, reviewer_subject = :reviewerSubject, invitation_token_hash = null, "
            + "invitation_expires_at = null, updated_at = now(), version = version + 1 where id = :id")
    long reject(UUID id, String reason, @Nullable String reviewerIssuer, @Nullable String reviewerSubject);

    /** Approved by a reviewer, its tenant being provisioned. */
    @Query("update onboarding_application set status = 'provisioning', provisioned_tenant_id = :tenantId, "
            + "reviewed_at = now(), reviewer_issuer = :reviewerIssuer, reviewer_subject = :reviewerSubject, "
            + "updated_at = now(), version = version + 1 where id = :id")
    long provisioning(UUID id, UUID tenantId, @Nullable String reviewerIssuer, @Nullable String reviewerSubject);

    /** Its tenant provisioned and active. */
    @Query("update onboarding_application set status = 'approved', updated_at = now(), version = version + 1 "
            + "where id = :id")
    long approved(UUID id);

    /** The addresses one a line, as the statements above split them. */
    private static String lines(@Nullable List<String> values) {
        return values == null ? "" : String.join("\n", values);
    }
    // ---------------------------------------------------------------- the queue's counts

    /** How many applications of the bound network are in a state. */
    @Introspected
    record StatusCount(String status, long count) {
    }

    @Query("select status, count(*) as count from onboarding_application group by status")
    List<StatusCount> countsByStatus();

    // ---------------------------------------------------------------- the identity-provider test

    /** Records that the test of {@code issuer} passed (a later change of the application's issuer voids it). */
    @Query("update onboarding_application set idp_tested_issuer = :issuer, idp_test_passed_at = now() "
            + "where id = :id and issuer_url = :issuer")
    long idpTestPassed(UUID id, String issuer);

    /** When the test of the issuer the application names now last passed, if it did. */
    @Query("select idp_test_passed_at from onboarding_application where id = :id "
            + "and idp_test_passed_at is not null and idp_tested_issuer = issuer_url")
    Optional<Instant> idpTestPassedAt(UUID id);

    // ---------------------------------------------------------------- likely the same institution

    /**
     * An application of the given ones and an institution it likely names again: a tenant (any network's:
     * the registry is global) or another application of the bound network, in any state. {@code reason}:
     * {@code name} (Chinese or English name at least {@code :threshold} similar, or one containing the other
     * ("东湖大学" in "东湖大学（东湖校区）"; at least 4 Chinese or 8 Latin characters), compared as kernel V28's
     * {@code duplicate_key}), {@code slug} (the same short name) or {@code issuer} (the same identity
     * provider). {@code kind}: {@code tenant} or {@code application}.
     */
    @Introspected
    record LikelySame(UUID applicationId, String kind, UUID otherId, String nameZh, String nameEn,
                      @Nullable String slug, String status, String reason) {
    }

    /** One name's key contains the other's, the shorter having at least 4 (Chinese) or 8 (English) characters. */
    String CONTAINS_ZH = "(least(length(duplicate_key(o.name_zh)), length(duplicate_key(a.name_zh))) >= 4 "
            + "and (strpos(duplicate_key(o.name_zh), duplicate_key(a.name_zh)) > 0 "
            + "or strpos(duplicate_key(a.name_zh), duplicate_key(o.name_zh)) > 0))";
    String CONTAINS_EN = "(least(length(duplicate_key(o.name_en)), length(duplicate_key(a.name_en))) >= 8 "
            + "and (strpos(duplicate_key(o.name_en), duplicate_key(a.name_en)) > 0 "
            + "or strpos(duplicate_key(a.name_en), duplicate_key(o.name_en)) > 0))";

    String SAME_INSTITUTION_REASON = "case "
            + "when similarity(duplicate_key(o.name_zh), duplicate_key(a.name_zh)) >= :threshold "
            + "or similarity(duplicate_key(o.name_en), duplicate_key(a.name_en)) >= :threshold "
            + "or " + CONTAINS_ZH + " or " + CONTAINS_EN + " then 'name' "
            + "when a.slug is not null and o.slug = a.slug then 'slug' "
            + "when a.issuer_url is not null and lower(rtrim(o.issuer_url, '/')) = lower(rtrim(a.issuer_url, '/')) "
            + "then 'issuer' end";

    @Query("select * from ("
            + "select a.id as application_id, 'tenant' as kind, o.id as other_id, o.name_zh, o.name_en, o.slug, o.status, "
            + SAME_INSTITUTION_REASON + " as reason "
            + "from onboarding_application a "
            + "join (select t.id, t.name_zh, t.name_en, t.slug, t.status, c.issuer as issuer_url from tenant t "
            + "left join trusted_issuer_claim c on c.claimed_by = t.id where t.kind = 'institution') o "
            + "on o.id is distinct from a.provisioned_tenant_id "
            + "where a.id in (:ids) "
            + "union all "
            + "select a.id, 'application', o.id, o.name_zh, o.name_en, o.slug, o.status, " + SAME_INSTITUTION_REASON
            + " from onboarding_application a join onboarding_application o on o.id <> a.id where a.id in (:ids)"
            + ") found where reason is not null order by application_id, kind desc, name_zh")
    List<LikelySame> likelySame(Collection<UUID> ids, double threshold);
}
