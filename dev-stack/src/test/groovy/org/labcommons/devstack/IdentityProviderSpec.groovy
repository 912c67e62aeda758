package org.labcommons.devstack

import com.nimbusds.jose.JWSAlgorithm
import com.nimbusds.jose.jwk.source.JWKSourceBuilder
import com.nimbusds.jose.proc.BadJOSEException
import com.nimbusds.jose.proc.JWSVerificationKeySelector
import com.nimbusds.jose.proc.SecurityContext
import com.nimbusds.jwt.JWTClaimsSet
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier
import com.nimbusds.jwt.proc.DefaultJWTProcessor
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant
import com.nimbusds.oauth2.sdk.Scope
import com.nimbusds.oauth2.sdk.TokenRequest
import com.nimbusds.oauth2.sdk.TokenResponse
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic
import com.nimbusds.oauth2.sdk.auth.Secret
import com.nimbusds.oauth2.sdk.id.ClientID
import com.nimbusds.oauth2.sdk.id.Issuer
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

@Tag('integration')
class IdentityProviderSpec extends Specification {

    @Shared DevStack stack = SharedDevStack.get()
    @Shared String issuer = stack.identityProvider().issuer('consortium')
    @Shared OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(issuer))

    private String clientCredentialsToken() {
        def request = new TokenRequest(metadata.tokenEndpointURI,
                new ClientSecretBasic(new ClientID('labcommons-web'), new Secret('dev-only-secret')),
                new ClientCredentialsGrant(), new Scope('openid'))
        def response = TokenResponse.parse(request.toHTTPRequest().send())
        assert response.indicatesSuccess()
        response.toSuccessResponse().tokens.accessToken.value
    }

    private DefaultJWTProcessor<SecurityContext> processor() {
        def jwks = JWKSourceBuilder.create(metadata.JWKSetURI.toURL()).build()
        def p = new DefaultJWTProcessor<SecurityContext>()
        p.JWSKeySelector = new JWSVerificationKeySelector<SecurityContext>([JWSAlgorithm.RS256] as Set, jwks)
        p.JWTClaimsSetVerifier = new DefaultJWTClaimsVerifier<SecurityContext>(
                'labcommons', new JWTClaimsSet.Builder().issuer(issuer).build(), ['sub', 'exp', 'iat'] as Set)
        p
    }

    def "discovery names the issuer exactly as configured (one host name: localhost)"() {
        expect:
        metadata.issuer.value == issuer
        issuer.startsWith('http://localhost:')
        metadata.JWKSetURI != null
    }

    def "a token obtained from the provider validates with Nimbus against its JWKS"() {
        when:
        JWTClaimsSet claims = processor().process(clientCredentialsToken(), null)

        then:
        claims.issuer == issuer
        claims.audience.contains('labcommons')
        claims.subject == 'labcommons-web'
        claims.expirationTime.after(new Date())
    }

    def "a tampered token is rejected"() {
        given: 'a real token whose payload is changed after signing'
        String[] parts = clientCredentialsToken().split('\\.')
        def payload = new String(Base64.urlDecoder.decode(parts[1]))
        def forged = payload.replace('"labcommons-web"', '"consortium-admin"')
        assert forged != payload
        String tampered = parts[0] + '.' + Base64.urlEncoder.withoutPadding().encodeToString(forged.bytes) + '.' + parts[2]

        when:
        processor().process(tampered, null)

        then:
        thrown(BadJOSEException)
    }

    def "a token of another issuer of the same provider is not accepted for this issuer"() {
        given:
        String other = stack.identityProvider().server().issueToken('donghu', 'someone', 'labcommons').serialize()

        when:
        processor().process(other, null)

        then:
        thrown(BadJOSEException)
    }
}
