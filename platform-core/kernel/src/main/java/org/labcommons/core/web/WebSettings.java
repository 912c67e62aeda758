package org.labcommons.core.web;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code labcommons.web.*}: settings the pages share. Map pages read the tile source from the
 * layout ({@code <meta name="lc-map-tiles">}); a deployment behind the Great Firewall or without
 * internet access points it at its own tile server (environment {@code LABCOMMONS_WEB_MAP_TILES}).
 */
@ConfigurationProperties("labcommons.web")
public class WebSettings {
    /** OpenStreetMap's public tiles; their usage policy suits light use only. */
    public static final String OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    private String mapTiles = OSM_TILES;
    private String mapAttribution = "© OpenStreetMap contributors";

    /** Leaflet tile URL template ({@code {z}}, {@code {x}}, {@code {y}}, optionally {@code {s}}). */
    public String getMapTiles() { return mapTiles; }
    public void setMapTiles(String mapTiles) { this.mapTiles = mapTiles; }
    /** Attribution shown on every map (HTML allowed by Leaflet; keep it plain text). */
    public String getMapAttribution() { return mapAttribution; }
    public void setMapAttribution(String mapAttribution) { this.mapAttribution = mapAttribution; }
}
