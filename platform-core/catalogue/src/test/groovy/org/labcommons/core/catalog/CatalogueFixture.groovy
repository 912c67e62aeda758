package org.labcommons.core.catalog

import io.micronaut.context.ApplicationContext
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.json.JsonMapper
import io.micronaut.runtime.server.EmbeddedServer
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.security.Role
import org.labcommons.core.security.RoleAssignments
import org.labcommons.core.security.ScopeType
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.TenantWorld

import javax.sql.DataSource
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/**
 * A demo-like institution (a {@link TenantWorld} recipe) for the catalogue's page specifications: its own slug and trusted
 * issuer (so browser sign-in works with {@code Browser.signIn(app, issuerName, subject)}), a
 * department with a lab, and instruments modelled on the demo university's — public, consortium,
 * institution-only and private ones, one flagged stale — with services and contacts.
 */
class CatalogueFixture {
    final String run = UUID.randomUUID().toString().substring(0, 8)
    final String label
    final String slug
    final String issuerName
    final String issuer
    final TenantId tenant
    final Map<String, UUID> units = [:]
    final Map<String, Instrument> instruments = [:]
    /** The institution, its issuer and its units, as a {@link TenantWorld}. */
    final TenantWorld world

    private final String base
    private final JsonMapper json
    private final TenantTransactions tenants
    private final RoleAssignments roles
    private final WebSessions sessions
    private final HttpClient http = HttpClient.newHttpClient()

    /** What a signed-in browser sends: its session cookie and the CSRF token of its forms. */
    static class Session {
        String subject
        String cookie
        String csrf
        UUID userId
    }

    /** The institution in the application of {@code ctx} (a {@code PlatformSpec}'s context). */
    CatalogueFixture(String label, ApplicationContext ctx, String issuerName = null, String timeZone = 'Asia/Shanghai') {
        this(label, "http://localhost:${ctx.getBean(EmbeddedServer).port}".toString(), ctx.getBean(DataSource), ctx.getBean(TenantTransactions),
                ctx.getBean(RoleAssignments), ctx.getBean(JsonMapper), ctx.getBean(WebSessions), issuerName, timeZone)
    }

    CatalogueFixture(String label, String base, DataSource dataSource, TenantTransactions tenants, RoleAssignments roles,
                     JsonMapper json, WebSessions sessions, String issuerName = null, String timeZone = 'Asia/Shanghai') {
        this.label = label
        this.base = base
        this.json = json
        this.tenants = tenants
        this.roles = roles
        this.sessions = sessions
        String slug = "cat-${label}-${run}"
        this.world = TenantWorld.build(null) {
            institution(label, slug: slug, issuer: issuerName, timeZone: timeZone,
                    nameZh: "东湖理工学院${label}", nameEn: "Donghu Institute ${label}") {
                unit('CHEM', nameZh: '化学系', nameEn: 'Department of Chemistry')
                unit('NMR-LAB', kind: 'lab', parent: 'CHEM', nameZh: '核磁共振实验室', nameEn: 'NMR Laboratory')
                unit('LIFE', nameZh: '生命科学学院', nameEn: 'School of Life Sciences')
            }
        }
        def institution = world.tenant(label)
        this.slug = institution.slug
        this.issuerName = institution.issuerId
        this.issuer = institution.issuer
        this.tenant = new TenantId(institution.id)
        this.units.putAll(institution.units)
    }

    /** The demo university's instruments (asset numbers made unique), one of each sharing scope. */
    CatalogueFixture withDemoInstruments(InstrumentService service) {
        def rows = [
                [key: 'nmr', asset: 'DH-2012-0417', zh: '400M核磁共振谱仪', en: '400 MHz NMR spectrometer', model: 'AVANCE III HD 400', maker: 'Bruker', country: 'CH', yuan: 3_200_000, cls: '010601', unit: 'NMR-LAB', building: '化学楼', room: 'B105', lat: 30.2636, lon: 120.1236, scope: 'public',
                 flags: [fundSubsidised: true, benefitEvaluation: true, sharedPlatform: true, listedInCers: false, customsSupervised: true],
                 services: [[nameZh: '一维氢谱', nameEn: '1D proton spectrum', sampleRequirements: '5–10 mg，溶于氘代溶剂']],
                 contacts: [[name: '王老师', role: '机组负责人', phone: '0571-8800 1234', email: 'nmr@donghu.example']]],
                [key: 'tem', asset: 'DH-2015-0921', zh: '透射电子显微镜', en: 'Transmission electron microscope', model: 'JEM-2100F', maker: 'JEOL', country: 'JP', yuan: 6_800_000, cls: '010101', unit: 'CHEM', building: '分析测试楼', room: '101', lat: 30.2641, lon: 120.1249, scope: 'public'],
                [key: 'gcms', asset: 'DH-2016-0711', zh: '气相色谱-质谱联用仪', en: 'Gas chromatograph-mass spectrometer (GC-MS)', model: '7890B-5977B', maker: 'Agilent', country: 'US', yuan: 380_000, cls: '010201', unit: 'CHEM', building: '化学楼', room: 'A210', lat: null, lon: null, scope: 'public'],
                [key: 'nmr300', asset: 'DH-2009-0133', zh: '300M核磁共振谱仪', en: '300 MHz NMR spectrometer', model: 'AVANCE 300', maker: 'Bruker', country: 'CH', yuan: 1_850_000, cls: '010601', unit: 'NMR-LAB', building: '化学楼', room: 'B107', lat: 30.2636, lon: 120.1236, scope: 'consortium'],
                [key: 'confocal', asset: 'DH-2019-0522', zh: '激光共聚焦显微镜', en: 'Confocal laser scanning microscope', model: 'LSM 880', maker: 'Zeiss', country: 'DE', yuan: 3_900_000, cls: '010802', unit: 'LIFE', building: '生命科学楼', room: 'C310', lat: 30.2652, lon: 120.1221, scope: 'tenant'],
                [key: 'secret', asset: 'DH-2020-0001', zh: '保密质谱仪', en: 'Classified mass spectrometer', model: 'X-1', maker: 'Waters', country: 'US', yuan: 5_200_000, cls: '010201', unit: 'CHEM', building: '化学楼', room: 'A001', lat: null, lon: null, scope: 'private', exemptionReason: 'classified'],
        ]
        rows.each { r ->
            Map body = [assetNumber: "${r.asset}-${run}".toString(), nameZh: r.zh, nameEn: r.en, model: r.model, manufacturer: r.maker,
                        countryCode: r.country, originalValueFen: (r.yuan as long) * 100, classificationCode: r.cls,
                        orgUnitId: units[r.unit].toString(), building: r.building, room: r.room, latitude: r.lat, longitude: r.lon,
                        status: 'in_service', purpose: 'general', ratedAnnualHours: 1600, sharingScope: r.scope,
                        exemptionReason: r.exemptionReason, flags: r.flags, services: r.services, contacts: r.contacts]
            def input = json.readValue(json.writeValueAsString(body), InstrumentInput)
            instruments[r.key as String] = service.create(tenant, AuditEntry.Actor.SYSTEM, input)
        }
        // the TEM was not confirmed in the last verification campaign
        tenants.inTenant(tenant) { c ->
            c.prepareStatement("update instrument set stale_since = timestamptz '2025-03-01 02:00:00+00', " +
                    "last_verified_at = timestamptz '2024-03-01 02:00:00+00' where id = ?").with {
                setObject(1, instruments.tem.id()); executeUpdate()
            }
            null
        }
        this
    }

    /** A user of this institution's issuer with {@code role} on the whole institution (none: a plain member). */
    Session session(String subject, Role role = null) {
        UUID userId = userId(subject)
        if (role != null) {
            roles.grant(tenant, userId, role, ScopeType.TENANT, null, null)
        }
        def created = sessions.create(issuer, subject, subject, Duration.ofHours(1))
        new Session(subject: subject, cookie: "LC_SESSION=${created.rawId()}".toString(), csrf: created.session().csrfToken(), userId: userId)
    }

    /** An API access token of this institution's issuer for {@code subject}. */
    String token(String subject) {
        SharedDevStack.get().identityProvider().server().issueToken(issuerName, 'client',
                new DefaultOAuth2TokenCallback(issuerName, subject, 'JWT', ['labcommons'], [:], 3600)).serialize()
    }

    /** The user account of (this issuer, subject), created on first sight through the API's /me. */
    UUID userId(String subject) {
        String token = token(subject)
        def r = http.send(HttpRequest.newBuilder(URI.create(base + '/api/v1/me')).header('Authorization', 'Bearer ' + token).build(),
                HttpResponse.BodyHandlers.ofString())
        assert r.statusCode() == 200: r.body()
        UUID.fromString(json.readValue(r.body(), Map).userId as String)
    }

    /** Suspends the institution (its published entries disappear). */
    void suspend(DataSource dataSource) {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            c.prepareStatement("update tenant set status = 'suspended' where id = ?").with { setObject(1, tenant.value()); executeUpdate() }
        }
    }
}
