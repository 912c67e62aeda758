package org.labcommons.core.web.maps;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.Locale;

/**
 * {@code labcommons.maps.*}: the tile source of every map of the deployment (the instrument page's,
 * the search results map), for a provider in mainland China or a tile server on a closed network
 * where OpenStreetMap is unreachable (provider settings in {@code docs/maps.md}).
 * Checked at start-up by {@link MapTiles}.
 *
 * <ul>
 *   <li>{@code tile-url}: a Leaflet tile URL template, {@code http(s)://…} or a path on this site
 *       ({@code /tiles/{z}/{x}/{y}.png}), with {@code {z}}, {@code {x}}, {@code {y}} (or {@code {-y}})
 *       and optionally {@code {s}} (a subdomain), {@code {r}} (retina) and {@code {key}} (OpenStreetMap's
 *       public tiles by default; their usage policy suits light use only);</li>
 *   <li>{@code subdomains} (abc): the letters or digits {@code {s}} takes in turn;</li>
 *   <li>{@code attribution} (© OpenStreetMap contributors): the credit line the provider asks for, plain text;</li>
 *   <li>{@code max-zoom} (19; 1–22): the deepest zoom the provider has tiles for;</li>
 *   <li>{@code coordinate-system} (wgs84): {@code wgs84} or {@code gcj02}, the system the tiles are
 *       drawn in; with {@code gcj02} (AutoNavi/Gaode, Tencent) the stored WGS-84 places are moved to
 *       GCJ-02 before they are drawn ({@link ChinaCoordinates});</li>
 *   <li>{@code key}: the provider's key or token, put into the template's {@code {key}} (it is sent to
 *       the browser with every tile request, so use a key restricted to the site's domain); unset: none;</li>
 *   <li>{@code tile-timeout} (8s): with no tile loaded by then the map shows the markers on a plain
 *       background with a note.</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.maps")
public class MapSettings {
    /** The coordinate systems a tile source may be drawn in. */
    public static final String WGS84 = "wgs84";
    public static final String GCJ02 = "gcj02";
    /** OpenStreetMap's public tiles and their credit line, the defaults. */
    public static final String OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    public static final String OSM_ATTRIBUTION = "© OpenStreetMap contributors";

    private String tileUrl = OSM_TILES;
    private String subdomains = "abc";
    private String attribution = OSM_ATTRIBUTION;
    private int maxZoom = 19;
    private String coordinateSystem = WGS84;
    @Nullable
    private String key;
    private Duration tileTimeout = Duration.ofSeconds(8);

    public String getTileUrl() {
        return tileUrl;
    }

    /** Stored as given (stripped); {@link MapTiles} refuses an empty or unusable one at start-up. */
    public void setTileUrl(@Nullable String tileUrl) {
        this.tileUrl = tileUrl == null ? "" : tileUrl.strip();
    }

    public String getSubdomains() {
        return subdomains;
    }

    public void setSubdomains(String subdomains) {
        this.subdomains = subdomains == null ? "" : subdomains.strip();
    }

    public String getAttribution() {
        return attribution;
    }

    public void setAttribution(@Nullable String attribution) {
        this.attribution = attribution == null ? "" : attribution.strip();
    }

    public int getMaxZoom() {
        return maxZoom;
    }

    public void setMaxZoom(int maxZoom) {
        if (maxZoom < 1 || maxZoom > 22) {
            throw new IllegalArgumentException("labcommons.maps.max-zoom must be between 1 and 22, not " + maxZoom);
        }
        this.maxZoom = maxZoom;
    }

    public String getCoordinateSystem() {
        return coordinateSystem;
    }

    public void setCoordinateSystem(String coordinateSystem) {
        String c = coordinateSystem == null ? "" : coordinateSystem.strip().toLowerCase(Locale.ROOT).replace("-", "");
        if (!c.equals(WGS84) && !c.equals(GCJ02)) {
            throw new IllegalArgumentException("labcommons.maps.coordinate-system must be wgs84 or gcj02, not '"
                    + coordinateSystem + "' (CGCS2000 tiles, such as Tianditu's, are drawn as wgs84)");
        }
        this.coordinateSystem = c;
    }

    @Nullable
    public String getKey() {
        return key;
    }

    public void setKey(@Nullable String key) {
        this.key = key == null || key.isBlank() ? null : key.strip();
    }

    public Duration getTileTimeout() {
        return tileTimeout;
    }

    public void setTileTimeout(Duration tileTimeout) {
        if (tileTimeout == null || tileTimeout.isNegative() || tileTimeout.isZero()) {
            throw new IllegalArgumentException("labcommons.maps.tile-timeout must be positive, not " + tileTimeout);
        }
        this.tileTimeout = tileTimeout;
    }

    public boolean gcj02() {
        return GCJ02.equals(coordinateSystem);
    }
}
