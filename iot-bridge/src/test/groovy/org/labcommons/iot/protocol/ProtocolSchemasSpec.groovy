package org.labcommons.iot.protocol

import com.fasterxml.jackson.databind.ObjectMapper
import com.networknt.schema.JsonSchema
import com.networknt.schema.JsonSchemaFactory
import com.networknt.schema.SchemaLocation
import com.networknt.schema.SchemaValidatorsConfig
import com.networknt.schema.SpecVersion
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/**
 * The JSON Schemas in lc-ic/1 are the normative form of LC-IC/1's messages; EnvelopeReader checks
 * them in compiled form (Shapes). Here both judge every example (all valid) and every
 * counter-example (all invalid, for the reason its file name gives), with a draft 2020-12
 * validator that also asserts formats.
 */
@Tag('fast')
class ProtocolSchemasSpec extends Specification {
    static final String BASE = 'https://labcommons.org/lc-ic/1/'
    static final Path ROOT = Paths.get(ProtocolSchemasSpec.getResource('/lc-ic/1/envelope.schema.json').toURI()).parent
    /** RFC 8032 test vector 1: the published key every example is signed with. */
    static final byte[] EXAMPLE_KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'.decodeHex()

    @Shared JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012) {
        it.schemaMappers { it.mapPrefix(BASE, 'classpath:lc-ic/1/') }
    }
    @Shared SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build()
    @Shared ObjectMapper json = new ObjectMapper()
    @Shared EnvelopeReader reader = new EnvelopeReader()

    static List<Path> files(String dir) {
        def list = []
        Files.walk(ROOT.resolve(dir)).withCloseable { s -> s.filter { it.toString().endsWith('.json') }.sorted().forEach { list << it } }
        list
    }

    JsonSchema schema(String channelDir) {
        factory.getSchema(SchemaLocation.of(BASE + channelDir + '.schema.json'), config)
    }

    static String channelDir(Path file) { file.parent.fileName.toString() }

    /** up-event -> event, up-cmd-res -> cmd/res */
    static String channel(String dir) { dir.substring(3).replace('-', '/') }

    def "every example is valid by its channel's schema and read as Ok (#name)"() {
        given:
        def dir = channelDir(file)
        def problems = schema(dir).validate(json.readTree(file.toFile()))

        expect:
        problems.isEmpty()
        !dir.startsWith('up-') || reader.read(channel(dir), Files.readAllBytes(file)) instanceof EnvelopeReader.Ok

        where:
        file << files('examples')
        name = ROOT.relativize(file).toString()
    }

    def "every signed uplink example verifies with the example key (#name)"() {
        when:
        def ok = reader.read(channel(channelDir(file)), Files.readAllBytes(file)) as EnvelopeReader.Ok

        then:
        ok.envelope().sig() == null || Signatures.verify(EXAMPLE_KEY, ok.signedBytes(), Signatures.fromBase64url(ok.envelope().sig()))

        where:
        file << files('examples').findAll { channelDir(it).startsWith('up-') }
        name = ROOT.relativize(file).toString()
    }

    def "every counter-example is invalid by its channel's schema and read as Bad for its reason (#name)"() {
        given:
        def dir = channelDir(file)
        def reason = file.fileName.toString().split('--')[0]
        def problems = schema(dir).validate(json.readTree(file.toFile()))

        expect:
        !problems.isEmpty()
        !dir.startsWith('up-') || (reader.read(channel(dir), Files.readAllBytes(file)) as EnvelopeReader.Bad).reason() == reason

        where:
        file << files('counter-examples')
        name = ROOT.relativize(file).toString()
    }

    def "each uplink channel, body type and downlink channel has examples and counter-examples"() {
        given:
        def examples = files('examples').collect { channelDir(it) } as Set
        def counter = files('counter-examples').collect { channelDir(it) } as Set
        def types = files('examples').findAll { channelDir(it).startsWith('up-') }.collect { json.readTree(it.toFile()).get('type').asText() } as Set

        expect:
        examples == ['up-telemetry', 'up-event', 'up-state', 'up-cmd-res', 'up-auth-req', 'down-cmd', 'down-auth-res'] as Set
        counter == examples
        types == Shapes.BODIES.keySet()
    }

    def "the schemas list the same fields and channel types as the compiled checks"() {
        given:
        def envelope = json.readTree(ROOT.resolve('envelope.schema.json').toFile())

        expect:
        envelope.get('properties').fieldNames().toList() as Set == Shapes.ENVELOPE.byName().keySet()
        envelope.get('required').collect { it.asText() } as Set == Shapes.ENVELOPE.fields().findAll { it.required() }*.name() as Set
        Shapes.BODIES.every { type, shape ->
            def body = json.readTree(ROOT.resolve("body/${type}.schema.json").toFile())
            body.get('properties').fieldNames().toList() as Set == shape.byName().keySet() &&
                    body.get('required').collect { it.asText() } as Set == shape.fields().findAll { it.required() }*.name() as Set &&
                    !body.get('additionalProperties').asBoolean()
        }
        Shapes.CHANNEL_TYPES.every { channel, types ->
            def s = json.readTree(ROOT.resolve("up-${channel.replace('/', '-')}.schema.json").toFile())
            s.get('properties').get('type').get('enum').collect { it.asText() } as Set == types &&
                    (s.has('required') && s.get('required').collect { it.asText() }.contains('sig')) == (channel in Shapes.SIGNED_CHANNELS)
        }
    }
}
