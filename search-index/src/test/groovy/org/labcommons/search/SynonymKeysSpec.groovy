package org.labcommons.search

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

import java.nio.file.Files
import java.nio.file.Path

/**
 * The synonym-group keys a document carries (typeKeys): computed in Java the way the query
 * expansion matches in Elasticsearch (every token of a member in one field of its language), so
 * one term on typeKeys admits what the member-by-member expansion admitted.
 */
@Tag('fast')
class SynonymKeysSpec extends Specification {
    @Shared Synonyms synonyms = new Synonyms(new SearchSettings())

    String id(String member) {
        synonyms.groups().find { g -> g.terms().any { it.equalsIgnoreCase(member) } }.id()
    }

    List<String> keys(Map d) {
        synonyms.keys(new Synonyms.DocumentText(d.nameZh as String, d.nameEn as String, (d.classZh ?: []) as List<String>,
                (d.classEn ?: []) as List<String>, (d.servZh ?: []) as List<String>, (d.servEn ?: []) as List<String>,
                d.descZh as String, d.descEn as String))
    }

    def "a Chinese name, an English name and a classification name each give the type's key"() {
        expect:
        keys(nameZh: '场发射透射电子显微镜').contains(id('TEM'))
        keys(nameZh: '电镜123', nameEn: 'Transmission Electron Microscope').contains(id('TEM'))
        keys(nameZh: '某仪器', classZh: ['分析仪器', '电子光学仪器', '透射电镜']).contains(id('TEM'))
        keys(nameZh: '400M核磁共振波谱仪').contains(id('NMR'))
        !keys(nameZh: '400M核磁共振波谱仪').contains(id('MRI'))
        !keys(nameZh: '扫描电子显微镜').contains(id('TEM'))
    }

    def "matching is by tokens like the analyzers: word order, plurals, separators, bigrams inside longer Chinese words"() {
        expect: 'English plural and other word order still match'
        keys(nameEn: 'Scanning electron microscopes').contains(id('SEM'))
        keys(nameEn: 'Microscope (transmission electron)').contains(id('TEM'))

        and: 'an abbreviation matches on word boundaries only: TEM is not inside "system", SEM not inside "assembly"'
        !keys(nameEn: 'Imaging system', nameZh: '成像系统').contains(id('TEM'))

        and: 'separators as in the query: GC-MS, LC-MS/MS'
        keys(nameEn: 'LC-MS/MS system').contains(id('LC-MS'))

        and: 'a Chinese member anywhere inside a longer name (its bigrams), as cjk matching did'
        keys(nameZh: '球差校正透射电子显微镜').containsAll([id('TEM'), id('AC-TEM')])
    }

    def "a type named in the services or the description is a key too (the expansion searched those fields); the animal MRI is also an NMR (the bigram 核磁), as before"() {
        expect:
        keys(nameZh: '扫描电子显微镜', descZh: '可为透射电镜制备样品').containsAll([id('SEM'), id('TEM')])
        keys(nameZh: '某分析仪', servEn: ['Spectrum measurement']).isEmpty()
        keys(nameZh: '某分析仪', servEn: ['Raman spectrum']) == [id('Raman')]
        keys(nameZh: '小动物核磁共振成像系统', nameEn: 'Small animal MRI').containsAll([id('MRI'), id('NMR')])
    }

    def "a group's id is a fingerprint of its members: an edited group gets another id, an unchanged one keeps it"() {
        given:
        Path file = Files.createTempFile('synonyms', '.txt')
        Files.writeString(file, 'widgetron, 小部件仪\n')
        def settings = new SearchSettings()
        settings.synonymsPath = file.toString()
        def extended = new Synonyms(settings)

        expect: 'the built-in groups keep their ids next to an admin file'
        extended.groups().find { it.label() == 'TEM' }.id() == id('TEM')

        and: "the admin's group is in force and has its own id"
        def w = extended.groups().find { it.label() == 'widgetron' }
        w != null
        w.id() == new Synonyms.Group(['widgetron', '小部件仪']).id()
        w.id() != new Synonyms.Group(['widgetron', '小部件仪', 'widget meter']).id()
        extended.keys(new Synonyms.DocumentText('小部件仪一台', null, [], [], [], [], null, null)) == [w.id()]

        cleanup:
        Files.deleteIfExists(file)
    }
}
