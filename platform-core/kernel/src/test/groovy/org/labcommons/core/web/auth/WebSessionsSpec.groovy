package org.labcommons.core.web.auth

import jakarta.inject.Inject
import org.labcommons.testkit.PlatformSpec

import java.time.Duration

/** Browser sessions and pending logins, stored in PostgreSQL through their stores. */
class WebSessionsSpec extends PlatformSpec {

    @Inject WebSessions sessions

    def "a session is found by its raw id until it is deleted; an expired one is not found"() {
        given:
        def created = sessions.create('http://localhost/ws', 'ws-person', 'WS Person', Duration.ofHours(1))
        def expired = sessions.create('http://localhost/ws', 'ws-late', null, Duration.ofSeconds(-1))

        when:
        def found = sessions.find(created.rawId()).get()

        then: 'the stored session, found by the hash of the raw id'
        found.idHash() == WebSessions.hash(created.rawId())
        [found.issuer(), found.subject(), found.displayName(), found.csrfToken()] ==
                ['http://localhost/ws', 'ws-person', 'WS Person', created.session().csrfToken()]
        Duration.between(found.expiresAt(), created.session().expiresAt()).abs() < Duration.ofMillis(1)
        sessions.find(expired.rawId()).isEmpty()
        sessions.find('too-short').isEmpty()

        when:
        sessions.delete(found)

        then:
        sessions.find(created.rawId()).isEmpty()
    }

    def "a login attempt is taken once, by its state"() {
        given:
        String state = WebSessions.randomToken()
        def attempt = new WebSessions.LoginAttempt('verifier', 'nonce', 'http://localhost/ws', '/catalogue')
        sessions.saveLoginAttempt(state, attempt)

        expect:
        sessions.takeLoginAttempt(WebSessions.randomToken()).isEmpty()
        sessions.takeLoginAttempt(state).get() == attempt
        sessions.takeLoginAttempt(state).isEmpty()
    }
}
