package org.labcommons.search;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.web.maps.ChinaCoordinates;
import org.labcommons.core.web.maps.MapTiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the search page shows a hit and a facet value in the page's language: names with the other
 * language beside them, the classification path, the rate group that applies to the viewer and its
 * published prices ({@code ¥1,234.50/小时}), or "price on request" when none is published.
 */
final class SearchPageFormat {
    private final Map<String, String> t;
    private final boolean zh;
    @Nullable
    private final MapTiles maps;

    SearchPageFormat(Map<String, String> t, boolean zh) {
        this(t, zh, null);
    }

    /** With {@code maps}, a hit's map position is its place in the tiles' coordinate system ({@link MapTiles#point}). */
    SearchPageFormat(Map<String, String> t, boolean zh, @Nullable MapTiles maps) {
        this.t = t;
        this.zh = zh;
        this.maps = maps;
    }

    /** A published price as shown: what it is for (machine time or a service) and the amount per unit. */
    public record PriceLine(String forLabel, String amount) {
    }

    /**
     * A hit as the page shows it; {@code lat}/{@code lon} the stored (WGS-84) place, {@code mapLat}/{@code mapLon}
     * where the map draws it.
     */
    public record Hit(String id, String url, String name, @Nullable String otherName, @Nullable String model,
                      @Nullable String manufacturer, String owner, @Nullable String unit, List<String> classPath,
                      List<String> services, String status, String statusLabel, String scope, String rateGroup,
                      String rateLabel, List<PriceLine> prices, @Nullable String place, @Nullable Double lat,
                      @Nullable Double lon, @Nullable Double mapLat, @Nullable Double mapLon, @Nullable String distance,
                      boolean stale) {
    }

    Hit hit(SearchService.Item i) {
        String name = pick(i.nameZh(), i.nameEn());
        String other = zh ? i.nameEn() : i.nameZh();
        if (other == null || other.isBlank() || other.equals(name)) {
            other = null;
        }
        List<String> path = new ArrayList<>();
        for (Map<String, Object> level : i.classificationPath()) {
            String label = pick((String) level.get("nameZh"), (String) level.get("nameEn"));
            if (label != null) {
                path.add(label);
            }
        }
        List<String> services = i.services().stream()
                .map(s -> pick((String) s.get("nameZh"), (String) s.get("nameEn"))).filter(Objects::nonNull).toList();
        List<PriceLine> prices = i.prices().stream().map(p -> price(p, i)).toList();
        String place = String.join(" ", nz(i.building()), nz(i.room())).strip();
        Double lat = null;
        Double lon = null;
        Double mapLat = null;
        Double mapLon = null;
        if (i.location() != null && i.location().get("lat") instanceof Number la && i.location().get("lon") instanceof Number lo) {
            lat = la.doubleValue();
            lon = lo.doubleValue();
            ChinaCoordinates.LatLon drawn = maps == null ? new ChinaCoordinates.LatLon(lat, lon) : maps.point(lat, lon);
            mapLat = drawn.lat();
            mapLon = drawn.lon();
        }
        String distance = i.distanceKm() == null ? null
                : t.get("search.page.distance_km").replace("{0}", String.format(Locale.ROOT, "%.1f", i.distanceKm()));
        return new Hit(i.id(), i.url(), name == null ? i.id() : name, other, i.model(), i.manufacturer(),
                pick(i.ownerNameZh(), i.ownerNameEn()), pick(i.orgUnitNameZh(), i.orgUnitNameEn()), path, services,
                i.status(), t.getOrDefault("catalogue.status." + i.status(), i.status()), i.sharingScope(), i.rateGroup(),
                t.getOrDefault("search.page.rate." + i.rateGroup(), i.rateGroup()), prices,
                place.isEmpty() ? null : place, lat, lon, mapLat, mapLon, distance, i.stale());
    }

    PriceLine price(SearchService.Price p, SearchService.Item i) {
        String forLabel = t.get("search.page.price.machine_time");
        if (p.serviceId() != null) {
            forLabel = i.services().stream().filter(s -> p.serviceId().equals(s.get("id")))
                    .map(s -> pick((String) s.get("nameZh"), (String) s.get("nameEn"))).filter(Objects::nonNull)
                    .findFirst().orElse(t.get("search.page.price.service"));
        }
        return new PriceLine(forLabel, money(p.amountFen()) + t.getOrDefault("search.page.per." + p.unit(), "/" + p.unit()));
    }

    /** Fen as a price, always with two decimals: {@code 123450} → {@code ¥1,234.50}. */
    static String money(long fen) {
        String sign = fen < 0 ? "-" : "";
        long abs = Math.abs(fen);
        return sign + "¥" + String.format(Locale.ROOT, "%,d.%02d", abs / 100, abs % 100);
    }

    /** A facet value's label: the service's own (classes, provinces, institutions) or the page's (status, value band). */
    String facetLabel(String facet, SearchService.Bucket b) {
        return switch (facet) {
            case "status" -> t.getOrDefault("catalogue.status." + b.key(), b.key());
            case "valueBand" -> t.getOrDefault("search.page.band." + b.key(), b.key());
            case "classL1", "classL2", "classL3" -> b.label().equals(b.key()) ? b.key() : b.label();
            default -> b.label();
        };
    }

    /** The text in the page's language, else the other one. */
    @Nullable
    private String pick(@Nullable String zhText, @Nullable String enText) {
        String first = zh ? zhText : enText;
        return first != null && !first.isBlank() ? first : (zh ? enText : zhText);
    }

    private static String nz(@Nullable String s) {
        return s == null ? "" : s;
    }
}
