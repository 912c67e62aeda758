package org.labcommons.core.usage.grants

import jakarta.inject.Inject
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.nio.charset.Charset

/**
 * People's cards and login names through {@code /api/v1/usage/credentials}: normalised card values, one person per
 * value (409), the campus card system's CSV import with good and bad lines (UTF-8 with a byte-order mark, GB18030),
 * what a user sees of their own, the records in {@code access.grants.v1} (a tombstone for a removed card), and
 * institution B reaching none of A's credentials.
 */
class CredentialsSpec extends PlatformSpec {
    @Inject GrantPublisher publisher
    @Shared GrantsFixture f

    def setup() {
        if (f == null) {
            f = new GrantsFixture(ctx)
        }
    }

    def "a card value is normalised, belongs to one person, and its record follows it into the grant topic"() {
        when: 'staff register a card for alice as a reader writes it'
        def added = f.send('POST', '/api/v1/usage/credentials', 'staff', [kind: 'card', value: 'ab:12-cd 3f', userId: f.users.alice.toString(), label: 'campus card'])
        def topic = f.topic()
        String key = GrantPublisher.credentialKey(f.tenantA, 'card', 'AB12CD3F')
        Map record = topic.await(key) { it != null }

        then: 'stored upper case without separators, and sent to the topic'
        added.status == 201
        added.body.value == 'AB12CD3F'
        added.body.userId == f.users.alice.toString()
        added.body.source == 'staff'
        record == [kind: 'credential', tenantId: f.tenantA.toString(), credentialKind: 'card', value: 'AB12CD3F',
                   userId: f.users.alice.toString(), validUntil: null]

        when: 'the same card, written another way, is given to bob'
        def clash = f.send('POST', '/api/v1/usage/credentials', 'staff', [kind: 'card', value: 'AB-12-CD-3F', userId: f.users.bob.toString()])

        then: "409 problem+json, the card stays alice's"
        clash.status == 409
        clash.type.startsWith('application/problem+json')
        clash.body.code == 'credential_taken'
        f.send('GET', '/api/v1/usage/credentials?q=AB12CD3F', 'staff').body.items*.userId == [f.users.alice.toString()]

        when: 'bad values'
        def bad = f.send('POST', '/api/v1/usage/credentials', 'staff', [kind: 'card', value: 'x!', userId: f.users.bob.toString()])
        def badKind = f.send('POST', '/api/v1/usage/credentials', 'staff', [kind: 'pin', value: '1234', userId: f.users.bob.toString()])

        then:
        bad.status == 400 && bad.body.errors*.field == ['value']
        badKind.status == 400 && 'kind' in badKind.body.errors*.field

        when: 'alice lists credentials: she sees her own only; she may not add'
        f.send('POST', '/api/v1/usage/credentials', 'staff', [kind: 'login', value: ' bob.pc ', userId: f.users.bob.toString()])
        def own = f.send('GET', '/api/v1/usage/credentials', 'alice')
        def forbidden = f.send('POST', '/api/v1/usage/credentials', 'alice', [kind: 'card', value: '99887766', userId: f.users.alice.toString()])

        then:
        own.status == 200
        own.body.items*.userId.unique() == [f.users.alice.toString()]
        forbidden.status == 403

        when: 'staff remove the card'
        def removed = f.send('DELETE', '/api/v1/usage/credentials/card/ab12cd3f', 'staff')

        then: 'its record becomes a tombstone'
        removed.status == 204
        topic.await(key) { it == null } == null
        f.send('DELETE', '/api/v1/usage/credentials/card/ab12cd3f', 'staff').status == 404

        cleanup:
        topic?.close()
    }

    def "the campus card CSV: good lines imported, bad ones reported, none aborting the others"() {
        given: 'a UTF-8 export with a byte-order mark, people named by e-mail'
        String aliceMail = "${f.subjects.alice}@a.example"
        String bobMail = "${f.subjects.bob}@a.example"
        String csv = "\uFEFFCard Number,E-mail\r\n" +
                "11:22:33:44,${aliceMail}\r\n" +       // imported
                "55-66-77-88,${bobMail}\r\n" +          // imported
                "1122 3344,${bobMail}\r\n" +            // duplicate (alice's, two lines up)
                "ZZ!?,${aliceMail}\r\n" +               // bad card number
                "A1B2C3D4,nobody@nowhere.example\r\n" + // unknown person
                "${'\"'}CAFE0001${'\"'},${f.subjects.carol}@b.example\r\n" + // carol: an outside user with a role in A
                "\r\n"

        when:
        def r = f.upload('/api/v1/usage/credentials/import', 'staff', csv.getBytes('UTF-8'))

        then:
        r.status == 200
        r.body.encoding == 'UTF-8 (BOM)'
        r.body.personColumn == 'email'
        r.body.lines.collect { [it.line, it.outcome] } == [[2, 'imported'], [3, 'imported'], [4, 'duplicate'], [5, 'bad_card_number'],
                                                            [6, 'unknown_person'], [7, 'imported']]
        [r.body.imported, r.body.updated, r.body.unknownPerson, r.body.duplicate, r.body.badCardNumber] == [3, 0, 1, 1, 1]
        f.send('GET', '/api/v1/usage/credentials?kind=card&q=11223344', 'staff').body.items*.userId == [f.users.alice.toString()]

        when: 'the card system reissues bob a card: a GB18030 export with campus ids (学工号 = sign-in name)'
        byte[] gb = "卡号,学工号,姓名\n99AA99AA,${f.subjects.bob},鲍勃\n11223344,${f.subjects.alice},爱丽丝\n12345678,不存在的人,某人\n".getBytes(Charset.forName('GB18030'))
        def again = f.upload('/api/v1/usage/credentials/import', 'staff', gb)

        then: "bob's earlier imported card is replaced, alice's confirmed"
        again.status == 200
        again.body.encoding == 'GB18030'
        again.body.personColumn == 'campus_id'
        again.body.lines.collect { [it.line, it.outcome, it.person] } == [[2, 'updated', f.subjects.bob], [3, 'updated', f.subjects.alice],
                                                                          [4, 'unknown_person', '不存在的人']]
        f.send('GET', "/api/v1/usage/credentials?kind=card&userId=${f.users.bob}", 'staff').body.items*.value == ['99AA99AA']

        when: 'a file without the columns'
        def wrong = f.upload('/api/v1/usage/credentials/import', 'staff', 'name,phone\nx,1\n'.getBytes('UTF-8'))

        then:
        wrong.status == 400
        wrong.body.errors*.field == ['file']
    }

    def "institution B neither sees nor changes A's credentials, nor imports into A"() {
        given: "a card of alice's in A"
        assert f.send('POST', '/api/v1/usage/credentials', 'staff', [kind: 'card', value: 'B0B0B0B0', userId: f.users.alice.toString()]).status == 201
        def snapshotOfA = { f.send('GET', '/api/v1/usage/credentials?size=200', 'admin').body.items.collect { [it.kind, it.value, it.userId] }.sort { it.toString() } }
        def headers = [Authorization: 'Bearer ' + f.tokens.adminB, 'Accept-Language': 'en']

        when: "B's admin probes with A's card value and A's user id"
        def report = IsolationProbe.against(f.base, headers)
                .probe('DELETE', '/api/v1/usage/credentials/card/{id}')
                .listing('GET', '/api/v1/usage/credentials?q={id}')
                .run(['B0B0B0B0'], ['B0B0B0B0'], snapshotOfA)
        def byUser = IsolationProbe.against(f.base, headers)
                .listing('GET', '/api/v1/usage/credentials?userId={id}')
                .probe('POST', '/api/v1/usage/credentials', '{"kind":"card","value":"C1C1C1C1","userId":"{id}"}')
                .run([f.users.alice.toString()], ['B0B0B0B0'], snapshotOfA)
        def imported = f.upload('/api/v1/usage/credentials/import', 'adminB', "card,e-mail\nD2D2D2D2,${f.subjects.alice}@a.example\n".getBytes('UTF-8'))

        then:
        report.leaks() == []
        byUser.leaks() == []
        imported.status == 200
        imported.body.lines*.outcome == ['unknown_person']
        f.send('GET', '/api/v1/usage/credentials?q=D2D2D2D2', 'admin').body.total == 0
    }
}
