package org.labcommons.search

import com.sun.net.httpserver.HttpServer
import jakarta.inject.Inject
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import javax.imageio.ImageIO
import java.awt.Color
import java.awt.image.BufferedImage
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger

/**
 * The search results map with a configured tile source ({@code labcommons.maps.*}) in headless
 * Chromium, zh-CN, at phone and desktop widths. The tiles come from a tiny HTTP server in this JVM
 * whose answer the features switch: a 500 for every tile, no answer at all (a closed network's
 * black hole), or a real PNG. The deployment is set to GCJ-02 (as for AutoNavi's tiles), so the
 * markers sit where the provider's map has the WGS-84 places. The fixture's visitor query lists
 * four instruments, three of them located.
 */
class SearchMapBrowserSpec extends PlatformSpec {
    @Inject WebSessions sessions
    @Shared SearchFixture f
    @Shared SearchPageFixture p
    Browser browser = Browser.get()

    /** What the tile server answers: {@code error} (500), {@code hang} (nothing for 25 s) or {@code ok} (a PNG). */
    static volatile String tileMode = 'error'
    static final AtomicInteger tileRequests = new AtomicInteger()
    static HttpServer tiles

    static synchronized int tilePort() {
        if (tiles == null) {
            def png = new ByteArrayOutputStream()
            def image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB)
            def g = image.createGraphics()
            g.color = new Color(0xCFE8C8)
            g.fillRect(0, 0, 256, 256)
            g.dispose()
            ImageIO.write(image, 'png', png)
            byte[] bytes = png.toByteArray()
            tiles = HttpServer.create(new InetSocketAddress('127.0.0.1', 0), 0)
            tiles.executor = Executors.newCachedThreadPool()
            tiles.createContext('/tiles/') { exchange ->
                tileRequests.incrementAndGet()
                exchange.responseHeaders.add('Cache-Control', 'no-store')
                exchange.responseHeaders.add('Access-Control-Allow-Origin', '*')
                switch (tileMode) {
                    case 'ok':
                        exchange.responseHeaders.add('Content-Type', 'image/png')
                        exchange.sendResponseHeaders(200, bytes.length)
                        exchange.responseBody.write(bytes)
                        break
                    case 'hang':
                        sleep(25_000)
                        exchange.sendResponseHeaders(503, -1)
                        break
                    default:
                        exchange.sendResponseHeaders(500, -1)
                }
                exchange.close()
            }
            tiles.start()
        }
        tiles.address.port
    }

    @Override
    Map<String, String> ownProperties() {
        NO_MAP_TILES + ['labcommons.maps.tile-url'         : "http://localhost:${tilePort()}/tiles/{z}/{x}/{y}.png".toString(),
                        'labcommons.maps.attribution'      : 'Test tiles',
                        'labcommons.maps.coordinate-system': 'gcj02',
                        'labcommons.maps.tile-timeout'     : '3s']
    }

    def setup() {
        if (f == null) {
            f = new SearchFixture(ctx)
            p = new SearchPageFixture(f, sessions)
        }
        browser.reset()
    }

    def cleanupSpec() {
        tileMode = 'error'
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    /** The markers in the page's Leaflet state: the hit's id (the marker's option, and its element's data-id) with its lat/lng. */
    List<Map> markers() {
        browser.js('''
            var map = document.getElementById('results-map').lcMap, out = [];
            map.eachLayer(function (l) {
              if (l instanceof L.Marker) {
                out.push({id: l.options.hitId, element: l.getElement().dataset.id, lat: l.getLatLng().lat, lng: l.getLatLng().lng});
              }
            });
            return out;''') as List<Map>
    }

    def "tiles that fail: the markers on a plain background with a grid and the note; 3 of 4 results located (#size)"() {
        given:
        tileMode = 'error'

        when:
        browser."$size"().open(app("/search?q=${p.marker}"))
        browser.waitUntil('the fallback note') { browser.visible('#map-note') }

        then: 'the note in Chinese, a plain background with a lat/lon grid, the three markers'
        browser.attribute('html', 'lang') == 'zh-CN'
        browser.text('#map-note') == '地图底图无法加载，仅显示位置标记'
        browser.attribute('#results-map', 'data-fallback') == 'error'
        browser.attribute('#results-map', 'class').contains('map-offline')
        browser.findAll('#results-map .leaflet-tile-loaded').isEmpty()
        browser.findAll('#results-map path.map-grid').size() >= 4
        browser.findAll('#results-map .leaflet-marker-icon').size() == 3

        and: 'the map explains that one listed result has no location'
        browser.text('#map-located') == '共 4 条结果，其中 3 条有位置信息'
        browser.findAll('#result-list .hit').size() == 4
        browser.assertNoHorizontalScroll()
        browser.screenshot("search-map-tiles-fail-fallback-${size}")

        when: 'zoomed in: still a map, the grid follows'
        def before = browser.js("return document.getElementById('results-map').lcMap.getZoom()") as int
        browser.js("document.querySelector('#results-map .leaflet-control-zoom-in').click()")
        browser.waitUntil('zoomed') { (browser.js("return document.getElementById('results-map').lcMap.getZoom()") as int) == before + 1 }

        then:
        browser.findAll('#results-map path.map-grid').size() >= 4
        browser.findAll('#results-map .leaflet-marker-icon').size() == 3
        browser.screenshot("search-map-tiles-fail-zoomed-${size}")

        where:
        size << ['phone', 'desktop']
    }

    def "tiles that never answer (a closed network): the fallback after the tile timeout (#size)"() {
        given:
        tileMode = 'hang'

        when: 'navigated by script: the hanging tiles would hold up the load event a plain open waits for'
        browser."$size"().open(app('/static/search.css'))
        long opened = System.nanoTime()
        browser.js("location.href = arguments[0]", app("/search?q=${p.marker}"))
        browser.waitUntil('the fallback note') { browser.exists('#map-note') && browser.visible('#map-note') }

        then: 'the fallback came from the timeout (3 s), well before any tile answered'
        (System.nanoTime() - opened) / 1e9 < 10
        browser.attribute('#results-map', 'data-fallback') == 'timeout'
        browser.text('#map-note') == '地图底图无法加载，仅显示位置标记'
        browser.findAll('#results-map .leaflet-marker-icon').size() == 3
        browser.findAll('#results-map path.map-grid').size() >= 4
        browser.screenshot("search-map-tiles-timeout-fallback-${size}")

        cleanup:
        tileMode = 'error'

        where:
        size << ['phone', 'desktop']
    }

    def "a working tile source: the tiles load and no note shows (#size)"() {
        given:
        tileMode = 'ok'
        int asked = tileRequests.get()

        when:
        browser."$size"().open(app("/search?q=${p.marker}"))
        browser.waitUntil('tiles loaded') { browser.findAll('#results-map .leaflet-tile-loaded').size() > 0 }
        sleep(3500) // past the tile timeout (3 s): still no note

        then:
        tileRequests.get() > asked
        !browser.visible('#map-note')
        !browser.attribute('#results-map', 'class').contains('map-offline')
        browser.findAll('#results-map path.map-grid').isEmpty()
        browser.findAll('#results-map .leaflet-marker-icon').size() == 3
        browser.text('#results-map .leaflet-control-attribution').contains('Test tiles')
        browser.text('#map-located') == '共 4 条结果，其中 3 条有位置信息'
        browser.screenshot("search-map-tiles-load-${size}")

        cleanup:
        tileMode = 'error'

        where:
        size << ['phone', 'desktop']
    }

    def "GCJ-02 tiles: the markers and the browser's position are shifted from WGS-84 to GCJ-02, the view fits them (#size)"() {
        when: "opened with the browser's position at B's TEM (WGS-84 30.2741, 120.1551)"
        browser."$size"().open(app("/search?q=${p.marker}&sort=distance&lat=30.2741&lon=120.1551"))
        browser.waitUntil('markers drawn') { browser.findAll('#results-map .leaflet-marker-icon').size() == 3 }
        def all = markers()
        def byId = all.collectEntries { [(it.id): it] }

        then: 'the stored WGS-84 places stay in the list; the markers carry the GCJ-02 positions (reference transform, within 1e-5° ≈ 1 m)'
        browser.attribute("#result-list .hit[data-id='${p.id('temB')}']", 'data-lat') == '30.2741'
        all.every { it.element == it.id }
        near(byId[p.id('temB')], 30.271771223200254, 120.15979447929637)
        near(byId[p.id('temA')], 30.297725365484727, 120.08482057154151)
        near(byId[p.id('temC')], 30.537670100223536, 114.36552316560893)

        and: "the browser's position is shifted the same way, and the view holds every marker"
        def here = browser.js('''
            var map = document.getElementById('results-map').lcMap, c = null;
            map.eachLayer(function (l) { if (l instanceof L.CircleMarker) { c = l.getLatLng(); } });
            return c && {lat: c.lat, lng: c.lng};''') as Map
        near(here, 30.271771223200254, 120.15979447929637)
        browser.js('''
            var map = document.getElementById('results-map').lcMap, all = true;
            map.eachLayer(function (l) { if (l instanceof L.Marker && !map.getBounds().contains(l.getLatLng())) { all = false; } });
            return all;''') == true
        browser.screenshot("search-map-gcj02-markers-${size}")

        where:
        size << ['phone', 'desktop']
    }

    static boolean near(Map m, double lat, double lng) {
        assert m != null
        assert Math.abs((m.lat as double) - lat) < 1e-5 && Math.abs((m.lng as double) - lng) < 1e-5: "${m} is not at ${lat}, ${lng}"
        true
    }
}
