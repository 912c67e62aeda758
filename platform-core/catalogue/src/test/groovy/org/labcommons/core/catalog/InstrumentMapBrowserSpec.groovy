package org.labcommons.core.catalog

import org.labcommons.core.web.maps.ChinaCoordinates
import spock.lang.Tag

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * The instrument page's map with the deployment's tile settings ({@code labcommons.maps.*}, the
 * same as the search map's): a GCJ-02 provider (as AutoNavi's) whose tiles cannot be loaded (the
 * test kit's tile address refuses at once). The page carries the place moved to GCJ-02 and the
 * tile settings; in headless Chromium, zh-CN, at phone and desktop widths, the marker stays on a
 * plain background with the note, where the provider's map has the building.
 */
@Tag('browser')
class InstrumentMapBrowserSpec extends DemoCatalogueBrowserSpec {
    static final double NMR_LAT = 30.2636
    static final double NMR_LON = 120.1236

    @Override
    String label() {
        'instrmap'
    }

    @Override
    Map<String, String> ownProperties() {
        super.ownProperties() + ['labcommons.maps.coordinate-system': 'gcj02',
                                 'labcommons.maps.attribution'      : '© 测试底图',
                                 'labcommons.maps.max-zoom'         : '18',
                                 'labcommons.maps.tile-timeout'     : '3s']
    }

    /** Metres between two nearby positions (equirectangular). */
    static double metres(double lat1, double lon1, double lat2, double lon2) {
        double x = Math.toRadians(lon2 - lon1) * Math.cos(Math.toRadians((lat1 + lat2) / 2))
        double y = Math.toRadians(lat2 - lat1)
        Math.sqrt(x * x + y * y) * 6371008.8
    }

    /** The value of an attribute of the page's {@code #map} element. */
    static String mapAttribute(String html, String name) {
        def tag = (html =~ /(?s)<div[^>]*id="map"[^>]*>/)
        assert tag.find(): 'no #map in the page'
        def m = (tag.group() =~ /\s${name}="([^"]*)"/)
        m.find() ? m.group(1) : null
    }

    def "with a GCJ-02 tile source the page draws the stored WGS-84 place moved to GCJ-02, with the deployment's tile settings"() {
        given:
        def gcj = ChinaCoordinates.wgs84ToGcj02(NMR_LAT, NMR_LON)

        when:
        def html = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(app("/t/${f.slug}/instruments/${f.instruments.nmr.id()}?lang=zh-CN"))).build(),
                HttpResponse.BodyHandlers.ofString()).body()
        double mapLat = mapAttribute(html, 'data-map-lat') as double
        double mapLon = mapAttribute(html, 'data-map-lon') as double

        then: 'the stored place stays as it is, in the text and in data-lat/-lon'
        mapAttribute(html, 'data-lat') == '30.2636'
        mapAttribute(html, 'data-lon') == '120.1236'

        and: 'the marker goes where GCJ-02 tiles have the building: hundreds of metres from the WGS-84 numbers'
        Math.abs(mapLat - gcj.lat()) < 1e-9
        Math.abs(mapLon - gcj.lon()) < 1e-9
        metres(NMR_LAT, NMR_LON, mapLat, mapLon) > 200

        and: 'the tiles are the deployment\'s labcommons.maps.* (one source for every map)'
        mapAttribute(html, 'data-tile-url') == NO_MAP_TILES['labcommons.maps.tile-url']
        mapAttribute(html, 'data-attribution') == '© 测试底图'
        mapAttribute(html, 'data-max-zoom') == '18'
        mapAttribute(html, 'data-coordinate-system') == 'gcj02'
        mapAttribute(html, 'data-tile-timeout') == '3000'
        html =~ /id="map-note"[^>]*hidden/
    }

    def "tiles that fail: the instrument's marker on a plain background with the note, at the GCJ-02 place (#size)"() {
        given:
        def gcj = ChinaCoordinates.wgs84ToGcj02(NMR_LAT, NMR_LON)

        when:
        browser."$size"().open(app("/t/${f.slug}/instruments/${f.instruments.nmr.id()}?lang=zh-CN"))
        browser.js("document.querySelector('#location').scrollIntoView()")
        browser.waitUntil('the fallback note') { browser.visible('#map-note') }

        then: 'the note says why the map is plain, in the page\'s language'
        browser.text('#map-note') == '地图底图无法加载，仅显示位置标记'
        browser.attribute('#map', 'class').contains('map-offline')
        browser.attribute('#map', 'data-fallback') == 'error'

        and: 'no tile is left in the map; the marker and the grid are'
        !browser.exists('#map img.leaflet-tile')
        browser.find('#map .leaflet-marker-icon')
        browser.exists('#map path.map-grid')
        ((Number) browser.js("return document.querySelector('#map').getBoundingClientRect().height")) > 100

        and: 'the marker is at the GCJ-02 place'
        Map marker = browser.js('''
            var out = null;
            document.getElementById('map').lcMap.eachLayer(function (l) {
              if (l instanceof L.Marker) { out = {lat: l.getLatLng().lat, lng: l.getLatLng().lng}; }
            });
            return out;''') as Map
        Math.abs((marker.lat as double) - gcj.lat()) < 1e-9
        Math.abs((marker.lng as double) - gcj.lon()) < 1e-9

        and: 'the place in words is still there'
        browser.text('#place').contains('化学楼')
        browser.assertNoHorizontalScroll()

        cleanup:
        browser.screenshot("instrument-map-tiles-fail-fallback-${size}")

        where:
        size << ['phone', 'desktop']
    }
}
