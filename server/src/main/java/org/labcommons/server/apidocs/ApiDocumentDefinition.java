package org.labcommons.server.apidocs;

import io.micronaut.openapi.annotation.OpenAPIExtraSchema;
import io.micronaut.openapi.annotation.OpenAPIInclude;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.labcommons.core.billing.charges.ChargeController;
import org.labcommons.core.billing.interinst.DisbursementController;
import org.labcommons.core.billing.interinst.InterinstPayablesController;
import org.labcommons.core.billing.interinst.NettingController;
import org.labcommons.core.billing.closing.MonthCloseController;
import org.labcommons.core.billing.ledger.LedgerController;
import org.labcommons.core.billing.payers.PayerController;
import org.labcommons.core.billing.rates.FeeStandardController;
import org.labcommons.core.reports.outputs.OutputController;
import org.labcommons.core.reports.ratings.RatingController;
import org.labcommons.core.billing.subsidies.FundController;
import org.labcommons.core.billing.subsidies.VoucherBalanceController;
import org.labcommons.core.billing.subsidies.VoucherController;
import org.labcommons.core.booking.BookingController;
import org.labcommons.core.booking.InstrumentBookingController;
import org.labcommons.core.booking.OutsideBookingController;
import org.labcommons.core.booking.calendar.CalendarFeedController;
import org.labcommons.core.booking.notify.NotificationController;
import org.labcommons.core.catalog.ClassificationController;
import org.labcommons.core.catalog.InstrumentController;
import org.labcommons.core.catalog.PublicCatalogueController;
import org.labcommons.core.catalog.io.InstrumentExportController;
import org.labcommons.core.catalog.io.InstrumentImportController;
import org.labcommons.core.org.OrgUnitController;
import org.labcommons.core.reports.evaluation.EvaluationController;
import org.labcommons.core.reports.evaluation.EvaluationTaskController;
import org.labcommons.core.problem.Problem;
import org.labcommons.core.reports.facts.FactsController;
import org.labcommons.core.samples.SampleRequestController;
import org.labcommons.core.security.MeController;
import org.labcommons.core.usage.booked.UsageSessionController;
import org.labcommons.core.verification.OpenVerificationController;
import org.labcommons.core.verification.VerificationCampaignController;
import org.labcommons.core.usage.decisions.DecisionController;
import org.labcommons.federation.booking.OutsideBookingRecordController;
import org.labcommons.core.usage.overrides.InterlockOverrideController;
import org.labcommons.iot.access.BrokerAccessController;
import org.labcommons.iot.interlock.InterlockKeyController;
import org.labcommons.search.SearchController;
import org.labcommons.tenantadmin.devices.ClaimController;
import org.labcommons.tenantadmin.devices.DevicesController;
import org.labcommons.tenantadmin.onboarding.ApplicationsController;
import org.labcommons.tenantadmin.onboarding.InvitationsController;
import org.labcommons.tenantadmin.onboarding.MembersController;
import org.labcommons.tenantadmin.onboarding.PublicOnboardingController;
import org.labcommons.core.usage.credentials.CredentialController;
import org.labcommons.core.usage.policy.UsagePolicyController;

/**
 * The OpenAPI document of the REST API ({@code /api/**}), written at build time by the
 * micronaut-openapi annotation processor to {@code META-INF/swagger/labcommons-api.yml} (see
 * {@code server/src/main/resources/openapi.properties}) and served by {@link ApiDocsController}.
 *
 * <p>The controllers live in other modules, already compiled when this module is: the processor
 * reads them from the class path through {@link OpenAPIInclude}, so every API controller is named
 * here, and only those (page controllers stay out; this module's own dev mailbox page is excluded in
 * {@code openapi.properties}). {@link Problem} is added as a schema: {@link ApiDocument} refers every
 * operation's error answer to it. {@code ApiDocumentSpec} fails when a route under
 * {@code /api/} is missing from the served document, so a new controller cannot be forgotten.
 *
 * <p>Read from class files, the controllers' Javadoc is not available: each operation carries its
 * summary as {@code @Operation(summary = …)}, and an operation that answers 201 Created (it returns
 * {@code HttpResponse.created(…)}) says so with {@code @Status(HttpStatus.CREATED)}; the spec fails
 * for an operation without a summary and for a creating one documented as 200. The caller
 * ({@code AuthenticatedUser}, a {@code Principal}) is no parameter of the document; {@code @IfMatch}
 * appears as the {@code If-Match} header.
 */
@OpenAPIDefinition(
        info = @Info(
                title = "LabCommons API",
                version = "v1",
                description = "The REST API of LabCommons. Every request needs an OAuth 2.0 bearer token (a JWT "
                        + "from the consortium's or the caller's institution's identity provider), except the "
                        + "public catalogue, onboarding, device claims and reference data. The header X-LabCommons-Tenant "
                        + "(id or slug) names another tenant the caller holds a role in. Every error answer is "
                        + "application/problem+json (RFC 9457) with a stable code; titles and details follow "
                        + "Accept-Language (zh-CN or en).",
                license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")),
        security = @SecurityRequirement(name = ApiDocumentDefinition.BEARER))
@SecurityScheme(
        name = ApiDocumentDefinition.BEARER,
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        bearerFormat = "JWT",
        description = "An access token of a trusted issuer with audience labcommons (docs/security.md). "
                + "In dev mode: ./labcommons token <user>.")
@SecurityScheme(
        name = BrokerAccessController.SECURITY_SCHEME,
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        description = "The MQTT brokers' secret (labcommons.iot.access.broker-token), for /api/iot/broker/* only "
                + "(docs/iot-broker.md).")
@OpenAPIInclude(classes = {
        // kernel
        MeController.class,
        OrgUnitController.class,
        // catalogue
        ClassificationController.class,
        InstrumentController.class,
        InstrumentExportController.class,
        InstrumentImportController.class,
        PublicCatalogueController.class,
        VerificationCampaignController.class,
        OpenVerificationController.class,
        // booking
        InstrumentBookingController.class,
        BookingController.class,
        OutsideBookingController.class,
        CalendarFeedController.class,
        NotificationController.class,
        SampleRequestController.class,
        // usage
        DecisionController.class,
        InterlockOverrideController.class,
        CredentialController.class,
        UsagePolicyController.class,
        UsageSessionController.class,
        // billing: fee standards, the ledger
        FeeStandardController.class,
        LedgerController.class,
        // billing: charges
        ChargeController.class,
        PayerController.class,
        // billing: subsidies and vouchers
        FundController.class,
        VoucherController.class,
        VoucherBalanceController.class,
        // billing: between institutions and disbursement
        NettingController.class,
        InterinstPayablesController.class,
        DisbursementController.class,
        MonthCloseController.class,
        // reports: facts (rollups)
        FactsController.class,
        // reports: the yearly benefit evaluation
        EvaluationController.class,
        EvaluationTaskController.class,
        // reports: ratings and outputs
        RatingController.class,
        OutputController.class,
        // tenant-admin
        ApplicationsController.class,
        InvitationsController.class,
        MembersController.class,
        PublicOnboardingController.class,
        DevicesController.class,
        ClaimController.class,
        // search-index
        SearchController.class,
        // federation
        OutsideBookingRecordController.class,
        // iot-bridge
        BrokerAccessController.class,
        InterlockKeyController.class,
})
@OpenAPIExtraSchema(classes = Problem.class)
public final class ApiDocumentDefinition {
    /** The name of the bearer (JWT) security scheme. */
    public static final String BEARER = "bearer";

    private ApiDocumentDefinition() {
    }
}
