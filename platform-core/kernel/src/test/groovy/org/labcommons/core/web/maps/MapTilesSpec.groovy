package org.labcommons.core.web.maps

import io.micronaut.context.annotation.Context
import spock.lang.Specification
import spock.lang.Tag

/**
 * The deployment's map tile settings ({@code labcommons.maps.*}): the WGS-84 → GCJ-02 transform
 * against published reference points, the start-up check of a tile URL template and of each
 * setting, and the defaults.
 */
@Tag('fast')
class MapTilesSpec extends Specification {

    /** Metres between two nearby positions (equirectangular; exact enough below a kilometre). */
    static double metres(double lat1, double lon1, double lat2, double lon2) {
        double r = 6371008.8
        double x = Math.toRadians(lon2 - lon1) * Math.cos(Math.toRadians((lat1 + lat2) / 2))
        double y = Math.toRadians(lat2 - lat1)
        Math.sqrt(x * x + y * y) * r
    }

    def "WGS-84 → GCJ-02 matches the reference implementations' test points to within a metre (#place)"() {
        when:
        def gcj = ChinaCoordinates.wgs84ToGcj02(wgsLat, wgsLon)

        then:
        metres(gcj.lat(), gcj.lon(), gcjLat, gcjLon) < 1.0
        // the offset itself is hundreds of metres: the check above is not met by leaving the point alone
        metres(wgsLat, wgsLon, gcjLat, gcjLon) > 200

        where: 'the points of googollee/eviltransform\'s tests and wandergis/coordtransform\'s example'
        place      | wgsLat     | wgsLon      || gcjLat             | gcjLon
        'Shanghai' | 31.1774276 | 121.5272106 || 31.17530398364597  | 121.531541859215
        'Shenzhen' | 22.543847  | 113.912316  || 22.540796131694766 | 113.9171764808363
        'Beijing'  | 39.911954  | 116.377817  || 39.91334545536069  | 116.38404722455657
        'Beijing²' | 39.915     | 116.404     || 39.91640428150164  | 116.41024449916938
    }

    def "outside mainland China's box the position is unchanged (#place)"() {
        expect:
        !ChinaCoordinates.insideChina(lat, lon)
        ChinaCoordinates.wgs84ToGcj02(lat, lon) == new ChinaCoordinates.LatLon(lat, lon)

        where:
        place       | lat      | lon
        'Berlin'    | 52.52    | 13.405
        'Singapore' | 0.35     | 103.82   // south of the box
        'Tokyo'     | 35.68    | 139.76   // east of the box
        'Sydney'    | -33.87   | 151.21
    }

    def "the box's edges: inside is inside"() {
        expect:
        ChinaCoordinates.insideChina(30.2741, 120.1551)
        ChinaCoordinates.insideChina(0.8293, 72.004)
        ChinaCoordinates.insideChina(55.8271, 137.8347)
        !ChinaCoordinates.insideChina(55.8272, 120)
        !ChinaCoordinates.insideChina(30, 72.003)
    }

    def "a usable template passes the check (#url)"() {
        expect:
        MapTiles.problems(url, subdomains, key) == []

        where:
        url                                                                                                  | subdomains | key
        MapSettings.OSM_TILES                                                                                | 'abc'      | null
        'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}'   | '1234'     | null
        'https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}' | '01234567' | 'abc123'
        '/tiles/{z}/{x}/{y}.png'                                                                             | ''         | null
        'http://tiles.lab.internal:8080/styles/basic/{z}/{x}/{-y}{r}.png'                                    | 'abc'      | null
    }

    def "a wrong template is refused with a message naming what is wrong (#why)"() {
        when:
        def problems = MapTiles.problems(url, subdomains, key)

        then:
        problems.size() == 1
        problems[0].contains(says)

        where:
        why                     | url                                                   | subdomains | key   || says
        'empty'                 | ' '                                                   | 'abc'      | null  || 'empty'
        'no scheme'             | 'tile.openstreetmap.org/{z}/{x}/{y}.png'              | 'abc'      | null  || 'must start with https://, http:// or /'
        'protocol-relative'     | '//tile.openstreetmap.org/{z}/{x}/{y}.png'            | 'abc'      | null  || 'must start with'
        'no {y}'                | 'https://tiles.example.cn/{z}/{x}.png'                | 'abc'      | null  || 'needs {z}, {x} and {y}'
        'an unknown placeholder'| 'https://tiles.example.cn/{z}/{x}/{y}.png?style={st}' | 'abc'      | null  || '{st} is not a placeholder'
        'a space'               | 'https://tiles.example.cn/{z}/{x}/{y} .png'           | 'abc'      | null  || 'contains a space'
        '{s} without subdomains'| 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png'        | ''         | null  || '{s} needs labcommons.maps.subdomains'
        '{key} without a key'   | 'https://tiles.example.cn/{z}/{x}/{y}.png?tk={key}'   | 'abc'      | null  || '{key} needs labcommons.maps.key'
    }

    def "the start-up check: a bad template stops the bean (created with the context) with the setting's name"() {
        given:
        def settings = new MapSettings()
        settings.tileUrl = 'https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}'

        when:
        new MapTiles(settings)

        then:
        def e = thrown(IllegalStateException)
        e.message.startsWith("labcommons.maps.tile-url 'https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}' is not a usable tile URL template")
        e.message.contains('needs {z}, {x} and {y}')
        MapTiles.isAnnotationPresent(Context)   // created when the process starts, not at the first search

        when: 'a template set empty (LABCOMMONS_MAPS_TILE_URL="") is refused too, not left to the default'
        def empty = new MapSettings()
        empty.tileUrl = '  '
        new MapTiles(empty)

        then:
        def e2 = thrown(IllegalStateException)
        e2.message.startsWith("labcommons.maps.tile-url '' is not a usable tile URL template: it is empty")
    }

    def "a wrong setting is refused when it is bound (#key = #value)"() {
        when:
        def settings = new MapSettings()
        settings."$property" = value

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(key)

        where:
        key                                 | property           | value
        'labcommons.maps.coordinate-system' | 'coordinateSystem' | 'bd09'
        'labcommons.maps.max-zoom'          | 'maxZoom'          | 0
        'labcommons.maps.max-zoom'          | 'maxZoom'          | 23
        'labcommons.maps.tile-timeout'      | 'tileTimeout'      | java.time.Duration.ZERO
    }

    def "defaults: OpenStreetMap, WGS-84 left alone; gcj02 moves the points; the settings win"() {
        when:
        def osm = new MapTiles(new MapSettings())

        then:
        osm.view() == new MapTiles.View(MapSettings.OSM_TILES, 'abc', '© OpenStreetMap contributors', 19, 'wgs84', null, 8000)
        osm.point(30.2741, 120.1551) == new ChinaCoordinates.LatLon(30.2741, 120.1551)

        when:
        def settings = new MapSettings()
        settings.tileUrl = 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}'
        settings.subdomains = '1234'
        settings.attribution = '© 高德地图'
        settings.maxZoom = 18
        settings.coordinateSystem = 'GCJ-02'
        def gaode = new MapTiles(settings)

        then:
        gaode.view().tileUrl() == settings.tileUrl
        gaode.view().attribution() == '© 高德地图'
        gaode.view().coordinateSystem() == 'gcj02'
        gaode.view().maxZoom() == 18
        metres(gaode.point(30.2741, 120.1551).lat(), gaode.point(30.2741, 120.1551).lon(), 30.271771223200254, 120.15979447929637) < 1.0
    }
}
