package org.labcommons.testkit

import io.micronaut.context.ApplicationContext
import io.micronaut.runtime.server.EmbeddedServer
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback
import org.labcommons.devstack.SharedDevStack

import java.sql.Connection

/**
 * The tenants, people and instruments a specification needs, in a few lines:
 *
 * <pre>
 * def world = TenantWorld.build(ctx) {
 *     consortium('lc') {
 *         network('east') {
 *             institution('donghu') {
 *                 unit('chem')
 *                 unit('nmr-lab', kind: 'lab', parent: 'chem')
 *                 person('alice', INSTITUTION_ADMIN)
 *                 person('bob', INSTRUMENT_ADMIN, unit: 'chem')
 *                 instrument('NMR 400', unit: 'nmr-lab')
 *             }
 *         }
 *     }
 *     institution('xiling') { person('carol', USER) }
 * }
 * world.tenant('donghu').id        // UUID (wrap in the kernel's TenantId)
 * world.token('alice')             // a bearer token of the dev identity provider
 * world.unit('donghu', 'chem')     // the org unit's UUID
 * world.instrument('NMR 400').id   // the instrument as the API answered it
 * </pre>
 *
 * Every name is made unique with the world's {@link #run} id (slugs and subjects are
 * {@code <name>-<run>}), so worlds of many specifications live side by side in the JVM's one
 * database. Each institution, network and consortium trusts an issuer of its own in the dev
 * identity provider (named like its slug unless {@code issuer:} says otherwise).
 *
 * <p>How rows are written: tenants and user accounts (global tables) with plain JDBC as the runtime
 * role; trusted issuers, org units and role assignments with plain JDBC in a transaction bound to
 * the tenant ({@code set_config('app.tenant_id', …, true)}, as the kernel's {@code TenantTransactions}
 * does), so row-level security checks them like any other write. Instruments go through the API
 * ({@code POST /api/v1/instruments}) as an institution admin of their institution, so they exist only
 * where the catalogue module is on the classpath. The test kit cannot depend on the kernel (the
 * kernel's tests depend on the test kit), so nothing here names a kernel class.
 *
 * <p>Roles are written before the person's first request. A role granted after the person has
 * called the API may be hidden for the role cache's time to live: grant it through the
 * application's {@code RoleAssignments}, which clears the cache.
 */
class TenantWorld {
    public static final String VISITOR = 'visitor'
    public static final String USER = 'user'
    public static final String INSTRUMENT_ADMIN = 'instrument_admin'
    public static final String PLATFORM_ADMIN = 'platform_admin'
    public static final String FINANCE = 'finance'
    public static final String INSTITUTION_ADMIN = 'institution_admin'
    public static final String NETWORK_ADMIN = 'network_admin'
    public static final String CONSORTIUM_ADMIN = 'consortium_admin'

    /** A short random id that makes this world's slugs and subjects unique. */
    final String run = UUID.randomUUID().toString().substring(0, 8)
    final Map<String, Tenant> tenants = [:]
    final Map<String, Person> people = [:]
    final Map<String, Map> instruments = [:]

    private final ApplicationContext ctx

    TenantWorld(ApplicationContext ctx) {
        this.ctx = ctx
    }

    /**
     * A new world built by {@code recipe} (whose delegate is the world). {@code ctx} may be null when
     * the world has no instruments (they are created through the context's embedded server).
     */
    static TenantWorld build(ApplicationContext ctx,
                             @DelegatesTo(value = TenantWorld, strategy = Closure.DELEGATE_FIRST) Closure recipe) {
        def world = new TenantWorld(ctx)
        world.with(recipe)
        world
    }

    /** More of the same world. */
    TenantWorld and(@DelegatesTo(value = TenantWorld, strategy = Closure.DELEGATE_FIRST) Closure recipe) {
        this.with(recipe)
        this
    }

    // ----------------------------------------------------------------------------------------------- the model

    /** A tenant of the world: a consortium, network or institution. */
    static class Tenant {
        String name
        UUID id
        String slug
        String kind
        /** The dev identity provider's issuer id, and its URL (trusted by this tenant). */
        String issuerId
        String issuer
        Tenant parent
        final Map<String, UUID> units = [:]
        final Map<String, UUID> rateGroups = [:]

        @Override
        String toString() { id.toString() }
    }

    /** A person signed in through their tenant's issuer. */
    static class Person {
        String name
        String subject
        UUID userId
        Tenant tenant
        String token
        List<String> roles = []
    }

    // --------------------------------------------------------------------------------------------- tenants

    Tenant consortium(String name, @DelegatesTo(value = Scope, strategy = Closure.DELEGATE_FIRST) Closure body = null) {
        consortium([:], name, body)
    }

    Tenant consortium(Map opts, String name, @DelegatesTo(value = Scope, strategy = Closure.DELEGATE_FIRST) Closure body = null) {
        newTenant(opts, name, 'consortium', null, body)
    }

    Tenant network(String name, @DelegatesTo(value = Scope, strategy = Closure.DELEGATE_FIRST) Closure body = null) {
        network([:], name, body)
    }

    Tenant network(Map opts, String name, @DelegatesTo(value = Scope, strategy = Closure.DELEGATE_FIRST) Closure body = null) {
        newTenant(opts, name, 'network', null, body)
    }

    Tenant institution(String name, @DelegatesTo(value = Scope, strategy = Closure.DELEGATE_FIRST) Closure body = null) {
        institution([:], name, body)
    }

    /**
     * Options: {@code nameZh}, {@code nameEn}, {@code slug}, {@code issuer} (issuer id), {@code timeZone},
     * {@code regionCode}, {@code status}, {@code parent} (a tenant's name), {@code trustIssuer: false}.
     */
    Tenant institution(Map opts, String name, @DelegatesTo(value = Scope, strategy = Closure.DELEGATE_FIRST) Closure body = null) {
        newTenant(opts, name, 'institution', null, body)
    }

    /** More of the recipe of the tenant named {@code name} (its units, people, instruments …). */
    Tenant within(String name, @DelegatesTo(value = Scope, strategy = Closure.DELEGATE_FIRST) Closure body) {
        Tenant t = tenant(name)
        def scope = new Scope(t)
        body.resolveStrategy = Closure.DELEGATE_FIRST
        body.delegate = scope
        body.call(scope)
        t
    }

    /** The scope of one tenant's recipe: its units, people, instruments and member tenants. */
    class Scope {
        final Tenant tenant

        Scope(Tenant tenant) { this.tenant = tenant }

        Tenant network(String name, Closure body = null) { network([:], name, body) }

        Tenant network(Map opts, String name, Closure body = null) { newTenant(opts, name, 'network', tenant, body) }

        Tenant institution(String name, Closure body = null) { institution([:], name, body) }

        Tenant institution(Map opts, String name, Closure body = null) { newTenant(opts, name, 'institution', tenant, body) }

        /** An org unit; its code is the name upper-cased. Options: {@code kind}, {@code code}, {@code parent}, {@code nameZh}, {@code nameEn}. */
        UUID unit(Map opts = [:], String name) { addUnit(tenant, opts, name) }

        /**
         * A person with tenant-wide roles, or roles on {@code unit:} (an org unit's name). Options: {@code unit},
         * {@code subject}, {@code claims} (of the token, or a closure from the subject to them; {@code name} and {@code email}
         * also go to the account),
         * {@code expiresIn} (the token's lifetime in seconds, default 3600).
         */
        Person person(Map opts = [:], String name, Object... roles) { addPerson(tenant, opts, name, roles) }

        /** A rate group (price list) of the institution: {@code internal}, {@code consortium}, {@code external} or another code. Options: {@code nameZh}, {@code nameEn}. */
        UUID rateGroup(Map opts = [:], String code) { addRateGroup(tenant, opts, code) }

        /** An instrument created through the API. Options: {@code unit}, {@code nameZh}, {@code scope}, {@code valueFen}, {@code body} (more fields). */
        Map instrument(Map opts = [:], String name) { addInstrument(tenant, opts, name) }
    }

    private Tenant newTenant(Map opts, String name, String kind, Tenant parentTenant, Closure body) {
        if (tenants.containsKey(name)) {
            throw new IllegalArgumentException("the world already has a tenant named '${name}'")
        }
        Tenant parent = opts.parent ? tenant(opts.parent as String) : parentTenant
        def t = new Tenant(name: name, id: UUID.randomUUID(), kind: kind, parent: parent,
                slug: (opts.slug ?: slugOf(name)) as String)
        t.issuerId = (opts.issuer ?: t.slug) as String
        t.issuer = SharedDevStack.get().identityProvider().issuer(t.issuerId)
        jdbc { Connection c ->
            c.prepareStatement('insert into tenant (id, slug, kind, name_zh, name_en, parent_id, region_code, status, time_zone) ' +
                    'values (?, ?, ?, ?, ?, ?, ?, ?, ?)').withCloseable { ps ->
                ps.setObject(1, t.id); ps.setString(2, t.slug); ps.setString(3, kind)
                ps.setString(4, (opts.nameZh ?: "${name}（测试）") as String); ps.setString(5, (opts.nameEn ?: "${name} (test)") as String)
                ps.setObject(6, parent?.id); ps.setString(7, opts.regionCode as String)
                ps.setString(8, (opts.status ?: 'active') as String); ps.setString(9, (opts.timeZone ?: 'Asia/Shanghai') as String)
                ps.executeUpdate()
            }
        }
        if (opts.trustIssuer != false) {
            inTenant(t) { Connection c ->
                c.prepareStatement("insert into trusted_issuer (tenant_id, id, issuer, audience, enabled, algorithms) " +
                        "values (app_tenant(), ?, ?, 'labcommons', true, array['RS256'])").withCloseable { ps ->
                    ps.setObject(1, UUID.randomUUID()); ps.setString(2, t.issuer); ps.executeUpdate()
                }
            }
        }
        tenants[name] = t
        if (body != null) {
            def scope = new Scope(t)
            body.resolveStrategy = Closure.DELEGATE_FIRST
            body.delegate = scope
            body.call(scope)
        }
        t
    }

    private UUID addUnit(Tenant t, Map opts, String name) {
        if (t.units.containsKey(name)) {
            throw new IllegalArgumentException("${t.name} already has a unit named '${name}'")
        }
        UUID id = UUID.randomUUID()
        UUID parent = opts.parent ? unit(t.name, opts.parent as String) : null
        inTenant(t) { Connection c ->
            c.prepareStatement('insert into org_unit (tenant_id, id, parent_id, kind, code, name_zh, name_en) ' +
                    'values (app_tenant(), ?, ?, ?, ?, ?, ?)').withCloseable { ps ->
                ps.setObject(1, id); ps.setObject(2, parent); ps.setString(3, (opts.kind ?: 'department') as String)
                ps.setString(4, (opts.code ?: name.toUpperCase(Locale.ROOT)) as String)
                ps.setString(5, (opts.nameZh ?: name) as String); ps.setString(6, (opts.nameEn ?: name) as String)
                ps.executeUpdate()
            }
        }
        t.units[name] = id
        id
    }

    private static final Map<String, List<String>> RATE_GROUP_NAMES = [internal  : ['校内', 'Internal'],
                                                                       consortium: ['联盟', 'Consortium'],
                                                                       external  : ['校外', 'External']]

    private UUID addRateGroup(Tenant t, Map opts, String code) {
        UUID id = UUID.randomUUID()
        List<String> names = RATE_GROUP_NAMES[code] ?: [code, code]
        inTenant(t) { Connection c ->
            c.prepareStatement('insert into rate_group (tenant_id, id, code, name_zh, name_en) values (app_tenant(), ?, ?, ?, ?)').withCloseable { ps ->
                ps.setObject(1, id); ps.setString(2, code)
                ps.setString(3, (opts.nameZh ?: names[0]) as String); ps.setString(4, (opts.nameEn ?: names[1]) as String)
                ps.executeUpdate()
            }
        }
        t.rateGroups[code] = id
        id
    }

    private Person addPerson(Tenant t, Map opts, String name, Object[] roles) {
        if (people.containsKey(name)) {
            throw new IllegalArgumentException("the world already has a person named '${name}'")
        }
        def p = new Person(name: name, tenant: t, subject: (opts.subject ?: "${name}-${run}") as String)
        Map claims = (opts.claims instanceof Closure ? (opts.claims as Closure).call(p.subject) : opts.claims ?: [:]) as Map
        p.userId = userAccount(t.issuer, p.subject, claims.name as String, claims.email as String)
        people[name] = p
        roles.each { Object r -> grant(opts.unit ? [unit: opts.unit] : [:], name, t.name, r) }
        p.token = token(t.issuerId, p.subject, claims, (opts.expiresIn ?: 3600) as long)
        p
    }

    /**
     * Grants {@code person} a role in {@code tenantName} (their own tenant or another: an outside
     * user acting there with {@code X-LabCommons-Tenant}); {@code unit:} scopes it to an org unit of
     * that tenant.
     */
    void grant(Map opts = [:], String personName, String tenantName, Object role) {
        Person p = person(personName)
        Tenant t = tenant(tenantName)
        UUID scope = opts.unit ? unit(t.name, opts.unit as String) : null
        String id = role.toString().toLowerCase(Locale.ROOT)
        inTenant(t) { Connection c ->
            c.prepareStatement('insert into role_assignment (tenant_id, id, user_id, role, scope_type, scope_id) ' +
                    'values (app_tenant(), ?, ?, ?, ?, ?)').withCloseable { ps ->
                ps.setObject(1, UUID.randomUUID()); ps.setObject(2, p.userId); ps.setString(3, id)
                ps.setString(4, scope ? 'org_unit' : 'tenant'); ps.setObject(5, scope)
                ps.executeUpdate()
            }
        }
        if (t == p.tenant) {
            p.roles << id
        }
    }

    private Map addInstrument(Tenant t, Map opts, String name) {
        if (instruments.containsKey(name)) {
            throw new IllegalArgumentException("the world already has an instrument named '${name}'")
        }
        Person admin = people.values().find { it.tenant == t && INSTITUTION_ADMIN in it.roles } ?:
                addPerson(t, [:], "world-admin-${t.slug}".toString(), [INSTITUTION_ADMIN] as Object[])
        Map body = [assetNumber     : "${t.slug}-${instruments.size() + 1}".toString(),
                    nameZh          : opts.nameZh ?: name,
                    nameEn          : name,
                    originalValueFen: opts.valueFen ?: 100_000_000L,
                    orgUnitId       : opts.unit ? unit(t.name, opts.unit as String).toString() : null,
                    status          : 'in_service',
                    sharingScope    : opts.scope ?: 'public']
        body.putAll((opts.body ?: [:]) as Map)
        Map r = api().post('/api/v1/instruments', admin.token, body)
        if (r.status != 201) {
            throw new IllegalStateException("creating instrument '${name}' answered ${r.status}: ${r.body}")
        }
        instruments[name] = r.body
        r.body
    }

    // ---------------------------------------------------------------------------------------------- look-ups

    Tenant tenant(String name) {
        tenants[name] ?: { throw new IllegalArgumentException("the world has no tenant named '${name}' (it has ${tenants.keySet()})") }()
    }

    UUID unit(String tenantName, String unitName) {
        tenant(tenantName).units[unitName] ?: { throw new IllegalArgumentException("${tenantName} has no unit named '${unitName}'") }()
    }

    Person person(String name) {
        people[name] ?: { throw new IllegalArgumentException("the world has no person named '${name}' (it has ${people.keySet()})") }()
    }

    String token(String personName) {
        person(personName).token
    }

    Map instrument(String name) {
        instruments[name] ?: { throw new IllegalArgumentException("the world has no instrument named '${name}'") }()
    }

    /** A bearer token for anyone signing in through {@code tenantName}'s issuer (no account or roles are made). */
    String tokenOf(String tenantName, String subject, Map claims = [:]) {
        token(tenant(tenantName).issuerId, subject, claims)
    }

    /** A bearer token of the dev identity provider's issuer {@code issuerId}, audience {@code labcommons}, valid an hour. */
    static String token(String issuerId, String subject, Map claims = [:], long expiresInSeconds = 3600) {
        SharedDevStack.get().identityProvider().server().issueToken(issuerId, 'client', new DefaultOAuth2TokenCallback(
                issuerId, subject, 'JWT', ['labcommons'], claims as Map<String, Object>, expiresInSeconds)).serialize()
    }

    /** The API of the world's application (its embedded server must run). */
    Api api() {
        EmbeddedServer server = ctx?.findBean(EmbeddedServer)?.orElse(null)
        if (server == null) {
            throw new IllegalStateException('the world has no application context with an embedded server')
        }
        new Api("http://localhost:${server.port}", ctx)
    }

    // ---------------------------------------------------------------------------------------------- database

    /** {@code work} in one transaction of the runtime role with {@code tenant} bound; committed when it returns. */
    static <T> T inTenant(Tenant tenant, Closure<T> work) {
        inTenant(tenant.id, work)
    }

    static <T> T inTenant(UUID tenant, Closure<T> work) {
        PlatformSpec.appConnection().withCloseable { Connection c ->
            c.autoCommit = false
            try {
                c.prepareStatement("select set_config('app.tenant_id', ?, true)").withCloseable { ps ->
                    ps.setString(1, tenant.toString()); ps.executeQuery().close()
                }
                T result = work.call(c)
                c.commit()
                result
            } catch (Throwable e) {
                c.rollback()
                throw e
            }
        }
    }

    /** {@code work} on a plain connection of the runtime role, no tenant bound (global tables). */
    static <T> T jdbc(Closure<T> work) {
        PlatformSpec.appConnection().withCloseable { Connection c -> work.call(c) }
    }

    /** The person's account (display name and e-mail from the token's claims), without the audit entry a first sign-in writes. */
    private static UUID userAccount(String issuer, String subject, String displayName, String email) {
        jdbc { Connection c ->
            c.prepareStatement('insert into user_account (id, issuer, subject, display_name, email) values (?, ?, ?, ?, ?) ' +
                    'on conflict (issuer, subject) do update set subject = excluded.subject returning id').withCloseable { ps ->
                ps.setObject(1, UUID.randomUUID()); ps.setString(2, issuer); ps.setString(3, subject)
                ps.setString(4, displayName); ps.setString(5, email)
                def rs = ps.executeQuery()
                rs.next()
                rs.getObject(1, UUID)
            }
        }
    }

    private String slugOf(String name) {
        String base = name.toLowerCase(Locale.ROOT).replaceAll('[^a-z0-9]+', '-').replaceAll('^-+|-+$', '')
        "${base ?: 't'}-${run}".toString()
    }
}
