package org.labcommons.core.web.auth

import spock.lang.Specification
import spock.lang.Tag

/** The institution chooser's filter and initials, without a server (the page's script filters the same text the same way). */
@Tag('fast')
class InstitutionFilterSpec extends Specification {

    static final InstitutionChooser.Institution XILING = new InstitutionChooser.Institution('xiling', '西岭理工大学',
            'Xiling University of Technology', 'http://idp/xiling', InstitutionChooser.initials('Xiling University of Technology'))

    def "initials take the significant words of the English name (#name)"() {
        expect:
        InstitutionChooser.initials(name) == expected

        where:
        name                                          | expected
        'Xiling University of Technology'             | 'XUT'
        'Donghu University'                           | 'DU'
        'Institute of Physics and Chemistry'          | 'IPC'
        'Zhejiang Sci-Tech University'                | 'ZSTU'
        'The University of Hong Kong'                 | 'TUHK'
    }

    def "a query matches when each of its words is in a name, the slug or the initials (#query)"() {
        expect:
        XILING.matches(query) == matches

        where:
        query               | matches
        null                | true
        ''                  | true
        '   '               | true
        '西岭'               | true
        '理工'               | true
        'xiling'            | true
        'XILING'            | true
        'ｘｉｌｉｎｇ'        | true      // full-width letters, as a Chinese input method may type them
        'xiling tech'       | true
        'univ techn'        | true
        'xut'               | true
        '东湖'               | false
        'xiling donghu'     | false
        'harbin'            | false
    }

    def "the text the page's script filters holds both names, the slug and the initials, in lower case"() {
        expect:
        XILING.searchText() == '西岭理工大学 xiling university of technology xiling xut'
        XILING.name(true) == '西岭理工大学'
        XILING.otherName(true) == 'Xiling University of Technology'
        XILING.name(false) == 'Xiling University of Technology'
    }
}
