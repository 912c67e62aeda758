package org.labcommons.core.security

import com.nimbusds.jose.JOSEObjectType
import com.nimbusds.jose.JWSAlgorithm
import com.nimbusds.jose.JWSHeader
import com.nimbusds.jose.crypto.RSASSASigner
import com.nimbusds.jose.jwk.RSAKey
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator
import com.nimbusds.jose.util.Base64
import com.nimbusds.jose.util.Base64URL
import com.nimbusds.jwt.JWTClaimsSet
import com.nimbusds.jwt.SignedJWT
import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import no.nav.security.mock.oauth2.MockOAuth2Server
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.devstack.oidc.DevIdentityProvider
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets

/**
 * The negative token matrix: hostile bearer tokens against GET /api/v1/me, each of which must get
 * 401 problem+json with code invalid_token. Tokens are minted with the identity provider's REAL
 * signing key wherever the point is a header or claim rule (so only that rule can refuse them),
 * and with attacker keys where the point is the signature. The controls (same minting paths,
 * nothing hostile) get 200, which proves every refusal is the rule's doing.
 */
class TokenMatrixSpec extends PlatformSpec {

    @Inject JsonMapper json
    @Inject TenantTransactions tenants
    @Inject RoleAssignments roleAssignments

    @Shared DevIdentityProvider idp = SharedDevStack.get().identityProvider()
    @Shared MockOAuth2Server mock = idp.server()
    @Shared String run = UUID.randomUUID().toString().substring(0, 8)
    @Shared String issA = 'tm-a-' + run                 // tenant A's issuer
    @Shared String issB = 'tm-b-' + run                 // tenant B's issuer
    @Shared String issDisabled = 'tm-off-' + run        // registered by A, disabled
    @Shared String issSuspended = 'tm-susp-' + run      // registered by a suspended tenant
    @Shared String issRs256 = 'tm-rs-' + run            // registered by A with algorithms {RS256}
    @Shared String issRotating = 'tm-rot-' + run        // registered by A; its key is rotated
    @Shared String issUntrusted = 'tm-nobody-' + run    // served by the provider, trusted by no one
    @Shared RSAKey attacker = new RSAKeyGenerator(2048).keyID('attacker').generate()
    @Shared HttpClient http = HttpClient.newHttpClient()
    @Shared TenantId tenantA, tenantB
    @Shared String slugB
    @Shared int hostileTried = 0, hostileRefused = 0, controlsPassed = 0
    static boolean prepared

    def setup() {
        if (prepared) {
            return
        }
        def world = TenantWorld.build(ctx) {
            ['tm-a', 'tm-b', 'tm-s'].each { institution(it, nameZh: '令牌', nameEn: 'Token', trustIssuer: false) }
        }
        tenantA = new TenantId(world.tenant('tm-a').id)
        tenantB = new TenantId(world.tenant('tm-b').id)
        slugB = world.tenant('tm-b').slug
        TenantId suspended = new TenantId(world.tenant('tm-s').id)
        ownerlessSql("insert into tenant (id, slug, kind, name_zh, name_en) values ('${UUID.randomUUID()}', 'consortium', 'consortium', '联盟', 'Consortium') on conflict (slug) do nothing")
        trust(tenantA, issA, true, null)
        trust(tenantA, issDisabled, false, null)
        trust(tenantA, issRs256, true, "{RS256}")
        trust(tenantA, issRotating, true, null)
        trust(tenantB, issB, true, null)
        trust(suspended, issSuspended, true, null)
        ownerlessSql("update tenant set status = 'suspended' where id = '${suspended}'")
        prepared = true
    }

    def cleanupSpec() {
        println "token matrix: ${hostileTried} hostile requests tried, ${hostileRefused} refused; ${controlsPassed} controls passed"
    }

    // ---- fixtures -------------------------------------------------------------------------------

    private void ownerlessSql(String sql) {
        TenantWorld.jdbc { it.createStatement().execute(sql) }
    }

    private void trust(TenantId tenant, String issuerId, boolean enabled, String algorithms) {
        tenants.inTenant(tenant) { c ->
            c.prepareStatement("insert into trusted_issuer (tenant_id, id, issuer, audience, enabled, algorithms) " +
                    "values (?, ?, ?, 'labcommons', ?, coalesce(?::text[], array['RS256','PS256','ES256']))").with {
                setObject(1, tenant.value()); setObject(2, UUID.randomUUID()); setString(3, idp.issuer(issuerId))
                setBoolean(4, enabled); setString(5, algorithms); executeUpdate()
            }
        }
    }

    /** The provider's own private signing key for an issuer (what its JWKS publishes). */
    private RSAKey realKey(String issuerId) {
        (RSAKey) mock.config.tokenProvider.@keyProvider.signingKey(issuerId)
    }

    private static long now() { System.currentTimeMillis().intdiv(1000) as long }

    private static String b64(String s) { Base64URL.encode(s.getBytes(StandardCharsets.UTF_8)).toString() }

    /**
     * A signed token; by default a valid one from the consortium issuer signed with its real key.
     * claims: overrides (null removes); header: extra header parameters.
     */
    private String mint(Map opts = [:]) {
        String issuerId = opts.issuerId ?: 'consortium'
        RSAKey key = opts.key ?: realKey(issuerId)
        def header = new JWSHeader.Builder(opts.alg ?: JWSAlgorithm.RS256)
                .keyID(opts.containsKey('kid') ? opts.kid : key.keyID)
                .type(opts.containsKey('typ') ? opts.typ : JOSEObjectType.JWT)
        (opts.header ?: [:]).each { k, v -> header.customParam(k, v) }
        if (opts.crit) header.criticalParams([opts.crit] as Set).customParam(opts.crit, 1)
        if (opts.jwk) header.jwk(opts.jwk)
        if (opts.jku) header.jwkURL(URI.create(opts.jku))
        if (opts.x5u) header.x509CertURL(URI.create(opts.x5u))
        if (opts.x5c) header.x509CertChain([new Base64(java.util.Base64.encoder.encodeToString(new byte[64]))])
        Map claims = [iss: idp.issuer(issuerId), sub: 'alice-' + run, aud: ['labcommons'], iat: now(), nbf: now(), exp: now() + 300]
        (opts.claims ?: [:]).each { k, v -> if (v == null) claims.remove(k) else claims[k] = v }
        def jwt = new SignedJWT(header.build(), JWTClaimsSet.parse(claims))
        jwt.sign(new RSASSASigner(key))
        jwt.serialize()
    }

    /** A token with this header and a valid payload, signed with HMAC-SHA256 using {@code secret}. */
    private String hmac(byte[] secret, String alg = 'HS256') {
        String signingInput = b64("""{"alg":"${alg}","typ":"JWT","kid":"consortium"}""") + '.' + mint().split('\\.')[1]
        def mac = Mac.getInstance(alg == 'HS256' ? 'HmacSHA256' : 'HmacSHA512')
        mac.init(new SecretKeySpec(secret, mac.algorithm))
        signingInput + '.' + Base64URL.encode(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)))
    }

    private String unsigned(String alg, String signature) {
        b64("""{"alg":"${alg}","typ":"JWT"}""") + '.' + mint().split('\\.')[1] + '.' + signature
    }

    private String issued(String issuerId, String audience = 'labcommons', Map claims = [:], long expiry = 300, String typ = 'JWT') {
        mock.issueToken(issuerId, 'client', new DefaultOAuth2TokenCallback(issuerId, 'bob-' + run, typ,
                audience == null ? [] : [audience], claims, expiry)).serialize()
    }

    private Map call(String authorization, Map<String, String> headers = [:]) {
        def builder = HttpRequest.newBuilder(URI.create("${baseUrl}/api/v1/me"))
                .header('Accept-Language', 'en').GET()
        if (authorization != null) builder.header('Authorization', authorization)
        headers.each { k, v -> builder.header(k, v) }
        HttpResponse<String> r = http.send(builder.build(), HttpResponse.BodyHandlers.ofString())
        [status     : r.statusCode(),
         contentType: r.headers().firstValue('Content-Type').orElse(''),
         challenge  : r.headers().firstValue('WWW-Authenticate').orElse(''),
         body       : r.body() ? json.readValue(r.body(), Map) : [:]]
    }

    def "a valid token of a suspended tenant's issuer is refused with 403 tenant_suspended (it is genuine, the tenant is not active)"() {
        when:
        Map r = call('Bearer ' + issued(issSuspended))
        hostileTried++

        then:
        r.status == 403
        r.contentType.startsWith('application/problem+json')
        r.body.code == 'tenant_suspended'
        hostileRefusedAsExpected()
    }

    // ---- the matrix -----------------------------------------------------------------------------

    def "hostile: #name"() {
        when:
        Map r = call(authorization)
        hostileTried++

        then:
        r.status == 401
        r.contentType.startsWith('application/problem+json')
        r.body.code == 'invalid_token'
        r.body.status == 401
        r.challenge.startsWith('Bearer')
        hostileRefusedAsExpected()

        where:
        name | authorization
        // unsigned: alg none in its spellings, with and without a signature
        'alg none, no signature'                 | 'Bearer ' + unsigned('none', '')
        'alg None, no signature'                 | 'Bearer ' + unsigned('None', '')
        'alg NONE, no signature'                 | 'Bearer ' + unsigned('NONE', '')
        'alg nOnE, no signature'                 | 'Bearer ' + unsigned('nOnE', '')
        'alg none, with a signature'             | 'Bearer ' + unsigned('none', mint().split('\\.')[2])
        'alg None, with a signature'             | 'Bearer ' + unsigned('None', mint().split('\\.')[2])
        'alg NONE, with a signature'             | 'Bearer ' + unsigned('NONE', mint().split('\\.')[2])
        'alg nOnE, with a signature'             | 'Bearer ' + unsigned('nOnE', mint().split('\\.')[2])
        // algorithm confusion: HMAC keyed with the public key
        'HS256 keyed with the JWKS modulus n'    | 'Bearer ' + hmac(realKey('consortium').modulus.decode())
        'HS256 keyed with the public key PEM'    | 'Bearer ' + hmac(pem(realKey('consortium')).bytes)
        'HS512 keyed with the public JWK JSON'   | 'Bearer ' + hmac(realKey('consortium').toPublicJWK().toJSONString().bytes, 'HS512')
        'RS512 (real key, not on the allow list)' | 'Bearer ' + mint(alg: JWSAlgorithm.RS512)
        'PS256 with a key published for RS256'   | 'Bearer ' + mint(alg: JWSAlgorithm.PS256)
        'PS256 for an issuer allowing RS256 only' | 'Bearer ' + mint(issuerId: issRs256, alg: JWSAlgorithm.PS256)
        // signatures
        'stripped signature'                     | 'Bearer ' + mint().replaceAll(/\.[^.]+$/, '.')
        'zeroed signature'                       | 'Bearer ' + mint().with { it.substring(0, it.lastIndexOf('.') + 1) + 'A' * (it.length() - it.lastIndexOf('.') - 1) }
        'garbled signature'                      | 'Bearer ' + mint().with { it.substring(0, it.length() - 6) + (it.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA') }
        'payload changed after signing'          | 'Bearer ' + mint().split('\\.').with { [it[0], mint(claims: [sub: 'consortium-admin']).split('\\.')[1], it[2]].join('.') }
        'signed by another key, real kid'        | 'Bearer ' + mint(key: attacker, kid: 'consortium')
        'signed by another key, unknown kid'     | 'Bearer ' + mint(key: attacker)
        'kid path traversal'                     | 'Bearer ' + mint(key: attacker, kid: '../../../../../../dev/null')
        'kid SQL injection'                      | 'Bearer ' + mint(key: attacker, kid: "x' or '1'='1' --")
        'kid path traversal, real key'           | 'Bearer ' + mint(kid: '../consortium')
        // keys named by the token are never fetched or used (real key signs, only the header rule refuses)
        'jku header (real key)'                  | 'Bearer ' + mint(jku: 'http://attacker.example/jwks.json')
        'x5u header (real key)'                  | 'Bearer ' + mint(x5u: 'http://attacker.example/cert.pem')
        'x5c header (real key)'                  | 'Bearer ' + mint(x5c: true)
        'jwk header with the real public key'    | 'Bearer ' + mint(jwk: realKey('consortium').toPublicJWK())
        'jwk header with the attacker key'       | 'Bearer ' + mint(key: attacker, jwk: attacker.toPublicJWK())
        'crit header with an unknown extension'  | 'Bearer ' + mint(crit: 'exp-x')
        // issuer
        'untrusted issuer (real provider)'       | 'Bearer ' + issued(issUntrusted)
        'issuer case-changed'                    | 'Bearer ' + mint(claims: [iss: idp.issuer('consortium').replace('localhost', 'LOCALHOST')])
        'issuer path case-changed'               | 'Bearer ' + mint(claims: [iss: idp.issuer('Consortium')])
        'issuer with trailing slash'             | 'Bearer ' + mint(claims: [iss: idp.issuer('consortium') + '/'])
        'issuer missing'                         | 'Bearer ' + mint(claims: [iss: null])
        'registered but disabled issuer'         | 'Bearer ' + issued(issDisabled)
        'forged token naming a suspended tenant\'s issuer' | 'Bearer ' + mint(issuerId: issSuspended, key: attacker, kid: 'attacker')
        'other issuer\'s token, consortium iss'  | 'Bearer ' + mint(key: realKey(issA), kid: 'consortium')
        // audience
        'missing aud'                            | 'Bearer ' + mint(claims: [aud: null])
        'foreign aud'                            | 'Bearer ' + issued('consortium', 'some-other-api')
        // time
        'expired (provider, 10 min ago)'         | 'Bearer ' + issued('consortium', 'labcommons', [:], -600)
        'exp beyond the skew (90 s ago)'         | 'Bearer ' + mint(claims: [exp: now() - 90, iat: now() - 400, nbf: now() - 400])
        'exp far in the past'                    | 'Bearer ' + mint(claims: [exp: 1_000_000_000L, iat: 999_000_000L, nbf: 999_000_000L])
        'nbf 5 minutes ahead'                    | 'Bearer ' + mint(claims: [nbf: now() + 300])
        'missing exp'                            | 'Bearer ' + mint(claims: [exp: null])
        'missing sub'                            | 'Bearer ' + mint(claims: [sub: null])
        // typ
        'typ JWE'                                | 'Bearer ' + mint(typ: new JOSEObjectType('JWE'))
        'typ id_token+jwt'                       | 'Bearer ' + mint(typ: new JOSEObjectType('id_token+jwt'))
        'typ logout+jwt (provider)'              | 'Bearer ' + issued('consortium', 'labcommons', [:], 300, 'logout+jwt')
        // shape and size
        'oversized (9 KiB, real key)'            | 'Bearer ' + mint(claims: [pad: 'x' * 7000])
        'oversized (24 KiB, real key)'           | 'Bearer ' + mint(claims: [pad: 'x' * 18000])
        'deeply nested claims (real key)'        | 'Bearer ' + mint(claims: [deep: (1..200).inject('1') { acc, i -> [acc] }])
        'four segments'                          | 'Bearer ' + mint() + '.' + b64('{}')
        'JWE-looking five segments'              | 'Bearer ' + [b64('{"alg":"RSA-OAEP-256","enc":"A256GCM"}'), 'AAAA', 'AAAA', 'AAAA', 'AAAA'].join('.')
        'two segments'                           | 'Bearer ' + mint().split('\\.')[0..1].join('.')
        'empty bearer'                           | 'Bearer '
        'non-base64 garbage'                     | 'Bearer !!!$$$***%%%.@@@.###'
        'header not JSON'                        | 'Bearer ' + b64('not json') + '.' + mint().split('\\.')[1] + '.' + mint().split('\\.')[2]
        'wrong scheme (Basic)'                   | 'Basic ' + java.util.Base64.encoder.encodeToString('alice:secret'.bytes)
        'token without a scheme'                 | mint()
        'no Authorization header'                | null
    }

    private static String pem(RSAKey key) {
        "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.mimeEncoder.encodeToString(key.toRSAPublicKey().encoded) + "\n-----END PUBLIC KEY-----\n"
    }

    def "control: #name gets 200 and names the principal"() {
        when:
        Map r = call(authorization)

        then:
        r.status == 200
        r.body.issuer == idp.issuer(issuerId)
        r.body.subject == subject
        r.body.homeTenant == (home == 'A' ? tenantA.toString() : consortiumId())
        r.body.actingTenant == r.body.homeTenant
        r.body.userId ==~ /[0-9a-f-]{36}/
        controlPassed()

        where:
        name                              | authorization                                                                   | issuerId     | subject         | home
        'consortium issuer (provider)'    | 'Bearer ' + issued('consortium')                                                | 'consortium' | 'bob-' + run    | 'consortium'
        'tenant issuer in trusted_issuer' | 'Bearer ' + issued(issA)                                                        | issA         | 'bob-' + run    | 'A'
        'our own minting, real key'       | 'Bearer ' + mint()                                                              | 'consortium' | 'alice-' + run  | 'consortium'
        'typ at+jwt, lower-case scheme'   | 'bearer ' + mint(typ: new JOSEObjectType('at+jwt'))                             | 'consortium' | 'alice-' + run  | 'consortium'
        'no typ header'                   | 'Bearer ' + mint(typ: null)                                                     | 'consortium' | 'alice-' + run  | 'consortium'
        'exp 30 s ago (within the skew)'  | 'Bearer ' + mint(claims: [exp: now() - 30, iat: now() - 300, nbf: now() - 300]) | 'consortium' | 'alice-' + run  | 'consortium'
        'RS256 for the RS256-only issuer' | 'Bearer ' + mint(issuerId: issRs256)                                            | issRs256     | 'alice-' + run  | 'A'
    }

    private void hostileRefusedAsExpected() {
        hostileRefused++
    }

    /** Counts a control whose assertions above it held (a void call, so Spock does not assert it). */
    private void controlPassed() {
        controlsPassed++
    }

    private String consortiumId() {
        TenantWorld.jdbc {
            def rs = it.createStatement().executeQuery("select id from tenant where slug = 'consortium'")
            rs.next() ? rs.getString(1) : null
        }
    }

    def "a token from tenant A's issuer acts in tenant B only where the user holds a role there"() {
        given: 'a user of tenant A, known to the platform'
        String token = issued(issA)
        Map me = call('Bearer ' + token)
        assert me.status == 200 && me.body.actingTenant == tenantA.toString()
        UUID userId = UUID.fromString(me.body.userId)

        when: 'it asks to act in B, where it has no role, and in a tenant that does not exist'
        Map intoB = call('Bearer ' + token, ['X-LabCommons-Tenant': slugB])
        Map intoB2 = call('Bearer ' + token, ['X-LabCommons-Tenant': tenantB.toString()])
        Map nowhere = call('Bearer ' + token, ['X-LabCommons-Tenant': 'no-such-tenant'])
        hostileTried += 2

        then: 'the answers cannot be told apart'
        [intoB, intoB2, nowhere].every { it.status == 404 && it.contentType.startsWith('application/problem+json') && it.body.code == 'not_found' }
        intoB.body.title == nowhere.body.title && intoB.body.detail == nowhere.body.detail
        hostileRefusedAsExpected()
        hostileRefusedAsExpected()

        when: 'B grants it a role'
        roleAssignments.grant(tenantB, userId, Role.USER, ScopeType.TENANT, null, null)
        Map granted = call('Bearer ' + token, ['X-LabCommons-Tenant': slugB])

        then: 'it acts in B, with its roles there'
        granted.status == 200
        granted.body.homeTenant == tenantA.toString()
        granted.body.actingTenant == tenantB.toString()
        granted.body.roles*.role == ['user']
        granted.body.roles*.scopeType == ['tenant']
        controlPassed()

        and: 'naming its own tenant is fine, and roles do not leak between tenants'
        call('Bearer ' + token, ['X-LabCommons-Tenant': tenantA.toString()]).with { it.status == 200 && it.body.roles == [] }
    }

    def "users are keyed by (issuer, subject): the same subject and e-mail at two issuers are two users"() {
        when:
        Map atA = call('Bearer ' + issued(issA, 'labcommons', [email: 'same@example.edu']))
        Map atB = call('Bearer ' + issued(issB, 'labcommons', [email: 'same@example.edu']))
        Map atAagain = call('Bearer ' + issued(issA))

        then:
        [atA, atB, atAagain]*.status == [200, 200, 200]
        atA.body.subject == atB.body.subject
        atA.body.userId != atB.body.userId
        atAagain.body.userId == atA.body.userId
        atB.body.homeTenant == tenantB.toString()
    }

    def "a rotated signing key is picked up through the JWKS (refresh on an unknown kid)"() {
        given: 'the issuer key is cached, and a token of that key has been accepted (its signature remembered)'
        RSAKey old = realKey(issRotating)
        String seen = 'Bearer ' + mint(issuerId: issRotating, key: old)
        assert call(seen).status == 200
        assert call(seen).status == 200

        when: 'the provider rotates to a new key with a new kid'
        RSAKey rotated = new RSAKeyGenerator(2048).keyID(issRotating + '-2').generate()
        mock.config.tokenProvider.@keyProvider.@signingKeys.put(issRotating, rotated)

        then: 'tokens signed with the new key are accepted, tokens of the old key are not'
        call('Bearer ' + mint(issuerId: issRotating, key: rotated)).status == 200
        call('Bearer ' + mint(issuerId: issRotating, key: old)).status == 401

        and: 'the very token accepted before the rotation is verified again, not taken from memory, and fails'
        call(seen).status == 401
    }

    def "a token used again skips only the signature check: its issuer's trust, audience and status still decide every time"() {
        given: 'an issuer of A and one of its tokens, accepted once (its signature verified)'
        String issuerId = 'tm-again-' + run
        trust(tenantA, issuerId, true, null)
        String token = 'Bearer ' + issued(issuerId)
        assert call(token).status == 200

        expect: 'the same token again'
        call(token).status == 200

        when: "A changes the issuer's audience"
        tenants.inTenant(tenantA) { c ->
            c.prepareStatement("update trusted_issuer set audience = 'elsewhere' where issuer = '${idp.issuer(issuerId)}'").executeUpdate()
        }

        then: 'the token already seen is refused, and a token for the new audience is accepted'
        call(token).status == 401
        call('Bearer ' + issued(issuerId, 'elsewhere')).status == 200

        when: 'A disables the issuer'
        String fresh = 'Bearer ' + issued(issuerId, 'elsewhere')
        assert call(fresh).status == 200
        tenants.inTenant(tenantA) { c ->
            c.prepareStatement("update trusted_issuer set enabled = false where issuer = '${idp.issuer(issuerId)}'").executeUpdate()
        }

        then:
        call(fresh).status == 401
    }
}
