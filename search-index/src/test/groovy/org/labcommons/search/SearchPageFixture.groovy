package org.labcommons.search

import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack

import java.time.Duration

/**
 * The search pages' data on top of {@link SearchFixture} (A and B in network N1, Zhejiang; C in
 * N2, Hubei): transmission electron microscopes at all three, one of B's named in English only as
 * a TEM (its Chinese name and class say nothing of 透射, so only the synonym finds it), one of B's
 * shared with consortium members only, and an NMR at A. All but A's NMR have a location. Created
 * through the API, so they reach the index the real way; the constructor waits until a member of
 * A can find every one of them.
 */
class SearchPageFixture {
    final SearchFixture f
    final String run
    /** A word only this fixture's records carry (in their model numbers). */
    final String marker
    final Map<String, Map> rec = [:]
    /** A browser session of A's plain user (the same person as {@code f.userA}'s token). */
    final String memberCookie
    final String memberSessionId

    SearchPageFixture(SearchFixture f, WebSessions sessions) {
        this.f = f
        this.run = f.run
        this.marker = "zq${run}".toString()
        rec.temB = f.create(f.adminB, [assetNumber: "SP-${run}-1", nameZh: '高分辨电子显微镜', nameEn: 'Transmission electron microscope JEM-F200',
                                       model: "JEM-F200 ${marker}", manufacturer: 'JEOL', classificationCode: '010199',
                                       latitude: 30.2741, longitude: 120.1551, building: '材料楼', room: '101',
                                       services: [[nameZh: '高分辨成像', nameEn: 'HRTEM imaging'], [nameZh: '电子衍射', nameEn: 'Electron diffraction']]])
        rec.temBMembers = f.create(f.adminB, [assetNumber: "SP-${run}-2", nameZh: "冷冻透射电镜${marker}", nameEn: "Cryo transmission electron microscope ${marker}",
                                              model: "Krios ${marker}", manufacturer: 'Thermo Fisher', classificationCode: '010101',
                                              sharingScope: 'consortium', latitude: 30.2750, longitude: 120.1560])
        rec.temA = f.create(f.adminA, [assetNumber: "SP-${run}-3", nameZh: '透射电子显微镜', nameEn: 'Transmission electron microscope',
                                       model: "Talos ${marker}", classificationCode: '010101', status: 'under_repair',
                                       latitude: 30.3000, longitude: 120.0800])
        rec.temC = f.create(f.adminC, [assetNumber: "SP-${run}-4", nameZh: '场发射透射电镜', nameEn: 'Field emission TEM',
                                       model: "Tecnai ${marker}", classificationCode: '010101', latitude: 30.5400, longitude: 114.3600])
        rec.nmrA = f.create(f.adminA, [assetNumber: "SP-${run}-5", nameZh: '400M核磁共振谱仪', nameEn: '400 MHz NMR spectrometer',
                                       model: "AVANCE ${marker}", classificationCode: '010601'])
        def created = sessions.create(SharedDevStack.get().identityProvider().issuer("uni-a-${run}".toString()), "user-a-${run}".toString(),
                "User A", Duration.ofHours(2))
        memberSessionId = created.rawId()
        memberCookie = "LC_SESSION=${created.rawId()}".toString()
        def all = rec.values()*.id as Set
        SearchFixture.eventually(20) {
            (f.search(f.userA, [q: marker, size: 50]).body.items*.id as Set).containsAll(all)
        }
    }

    String slug(String which) {
        "uni-${which}-${run}".toString()
    }

    String id(String key) {
        rec[key].id as String
    }
}
