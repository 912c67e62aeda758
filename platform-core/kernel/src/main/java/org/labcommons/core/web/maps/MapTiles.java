package org.labcommons.core.web.maps;

import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deployment's map tile source as the pages use it ({@link MapSettings}), checked when the
 * process starts (created eagerly: a wrong template stops the start with a message naming the
 * setting, not a grey map later), and the place of a marker in the tiles' coordinate system
 * ({@link #point}). {@link org.labcommons.core.web.Pages} puts its {@link #view()} into every page's
 * model as {@code mapTiles}; a map element carries it as {@code data-tile-*} attributes and
 * {@code app.js} ({@code LabCommons.mapTiles}) draws the tiles or, when none load, the plain background.
 */
@Context
public final class MapTiles {
    /** The placeholders Leaflet fills in a template ({@code key} from the settings). */
    public static final Set<String> PLACEHOLDERS = Set.of("z", "x", "y", "-y", "s", "r", "key");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private final MapSettings settings;
    private final View view;

    public MapTiles(MapSettings settings) {
        this.settings = settings;
        String url = settings.getTileUrl();
        List<String> problems = problems(url, settings.getSubdomains(), settings.getKey());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("labcommons.maps.tile-url '" + url + "' is not a usable tile URL template: "
                    + String.join("; ", problems) + " (see docs/maps.md)");
        }
        this.view = new View(url, settings.getSubdomains(), settings.getAttribution(), settings.getMaxZoom(),
                settings.getCoordinateSystem(), settings.getKey(),
                settings.getTileTimeout().toMillis());
    }

    /** What the page's script needs to draw the tiles (the map element's data attributes). */
    public record View(String tileUrl, String subdomains, String attribution, int maxZoom, String coordinateSystem,
                       @Nullable String key, long timeoutMillis) {
    }

    public View view() {
        return view;
    }

    /** A stored (WGS-84) place where the tiles draw it: moved to GCJ-02 for a {@code gcj02} source. */
    public ChinaCoordinates.LatLon point(double lat, double lon) {
        return settings.gcj02() ? ChinaCoordinates.wgs84ToGcj02(lat, lon) : new ChinaCoordinates.LatLon(lat, lon);
    }

    /** What is wrong with a tile URL template; empty when Leaflet can use it. */
    public static List<String> problems(@Nullable String url, @Nullable String subdomains, @Nullable String key) {
        List<String> out = new ArrayList<>();
        if (url == null || url.isBlank()) {
            out.add("it is empty");
            return out;
        }
        if (!(url.startsWith("https://") || url.startsWith("http://") || (url.startsWith("/") && !url.startsWith("//")))) {
            out.add("it must start with https://, http:// or / (a path on this site)");
        }
        if (url.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '<' || c == '>')) {
            out.add("it contains a space, a quote or an angle bracket");
        }
        Set<String> found = new java.util.HashSet<>();
        Matcher m = PLACEHOLDER.matcher(url);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                out.add("{" + m.group(1) + "} is not a placeholder Leaflet fills (use {z}, {x}, {y}, {-y}, {s}, {r}, {key})");
            }
            found.add(m.group(1));
        }
        if (!found.contains("z") || !found.contains("x") || !(found.contains("y") || found.contains("-y"))) {
            out.add("it needs {z}, {x} and {y} (or {-y})");
        }
        if (found.contains("s") && (subdomains == null || subdomains.isBlank())) {
            out.add("{s} needs labcommons.maps.subdomains");
        }
        if (found.contains("key") && (key == null || key.isBlank())) {
            out.add("{key} needs labcommons.maps.key");
        }
        return out;
    }
}
