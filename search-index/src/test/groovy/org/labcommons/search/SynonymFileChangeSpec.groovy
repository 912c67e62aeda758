package org.labcommons.search

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path

/**
 * An admin extends the synonyms at runtime (labcommons.search.synonyms-path) without a reindex:
 * the new group is not among the groups the index was built with (its typeKeys), so the query
 * expands it into its members and still finds the instruments named with any of them; after a
 * rebuild the index knows the group and matches it by key.
 */
class SynonymFileChangeSpec extends PlatformSpec {
    @Shared Path file = Files.createTempFile('synonyms-admin', '.txt')

    @Inject JsonMapper json
    @Inject InstrumentIndex index
    @Inject Synonyms synonyms

    @Override
    Map<String, String> ownProperties() {
        Files.writeString(file, '# nothing yet\n')
        ['labcommons.search.synonyms-path': file.toString()]
    }

    def cleanupSpec() {
        Files.deleteIfExists(file)
    }

    def "a group added to the admins' file works at once by expansion, and by key after a rebuild"() {
        given: 'an instrument named only in Chinese with a word no built-in group knows, and a TEM'
        def f = new SearchFixture(ctx)
        String r = f.run
        String word = "qzwidget${r}"
        Map gadget = f.create(f.adminA, [assetNumber: "W-${r}-1", nameZh: "小部件测量仪${r}", nameEn: "Measuring device ${r}",
                model: 'WM-1', manufacturer: 'Acme', originalValueFen: 100_000_000L, classificationCode: '010101'])
        Map tem = f.create(f.adminA, [assetNumber: "W-${r}-2", nameZh: "透射电子显微镜${r}", nameEn: "Transmission electron microscope ${r}",
                model: 'JEM-F200', manufacturer: 'JEOL', originalValueFen: 900_000_000L, classificationCode: '010101'])
        SearchFixture.eventually(30) { f.search(f.userA, [q: "W-${r}-1".toString()]).body.items*.id.contains(gadget.id) }
        SearchFixture.eventually(30) { f.search(f.userA, [q: "W-${r}-2".toString()]).body.items*.id.contains(tem.id) }

        expect: 'a built-in group is matched by key: the index was built with it'
        def temGroup = synonyms.groups().find { it.label() == 'TEM' }
        index.keyedGroups().contains(temGroup.id())
        f.search(f.userA, [q: 'TEM', size: 50, institution: f.slug(f.a)]).body.items*.id.contains(tem.id)

        when: 'the admin adds a group naming the Chinese name by a new word'
        Files.writeString(file, "${word}, 小部件测量仪\n")
        SearchFixture.eventually(30) { synonyms.groups().any { it.label() == word } }
        def group = synonyms.groups().find { it.label() == word }

        then: 'the index does not know the group, and the new word finds the instrument through its Chinese member'
        !index.keyedGroups().contains(group.id())
        def answer = f.search(f.userA, [q: word, size: 50]).body
        answer.interpretedAs == [word]
        answer.items*.id == [gadget.id]

        when: 'the index is rebuilt'
        index.reindexAll()

        then: 'it knows the group and finds the instrument by key'
        index.keyedGroups().contains(group.id())
        f.search(f.userA, [q: word, size: 50]).body.items*.id == [gadget.id]
    }
}
