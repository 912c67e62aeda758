package org.labcommons.core.web.maps;

/**
 * WGS-84 → GCJ-02, the coordinate system that maps published in mainland China must use (AutoNavi /
 * Gaode, Tencent, Google's China tiles). Places are stored in WGS-84; a map whose tiles are drawn in
 * GCJ-02 needs its markers moved by the same offset (a few hundred metres) or they land beside the
 * building. The standard public transform (Krasovsky 1940 ellipsoid, the published polynomial; it
 * matches the reference implementations to well under a metre); outside mainland China (the usual
 * bounding box) GCJ-02 equals WGS-84 and the position is returned unchanged.
 */
public final class ChinaCoordinates {
    /** Krasovsky 1940: semi-major axis (m) and first eccentricity squared. */
    private static final double A = 6378245.0;
    private static final double EE = 0.00669342162296594323;

    private ChinaCoordinates() {
    }

    /** A position in degrees. */
    public record LatLon(double lat, double lon) {
    }

    /** Whether the position lies in the box where GCJ-02 differs from WGS-84 (mainland China and its neighbourhood). */
    public static boolean insideChina(double lat, double lon) {
        return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
    }

    /** The GCJ-02 position of a WGS-84 one; unchanged outside China. */
    public static LatLon wgs84ToGcj02(double lat, double lon) {
        if (!insideChina(lat, lon)) {
            return new LatLon(lat, lon);
        }
        double dLat = latOffset(lon - 105.0, lat - 35.0);
        double dLon = lonOffset(lon - 105.0, lat - 35.0);
        double radLat = lat / 180.0 * Math.PI;
        double magic = Math.sin(radLat);
        magic = 1 - EE * magic * magic;
        double sqrtMagic = Math.sqrt(magic);
        dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * Math.PI);
        dLon = (dLon * 180.0) / (A / sqrtMagic * Math.cos(radLat) * Math.PI);
        return new LatLon(lat + dLat, lon + dLon);
    }

    private static double latOffset(double x, double y) {
        double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
        r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        r += (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
        r += (160.0 * Math.sin(y / 12.0 * Math.PI) + 320 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        return r;
    }

    private static double lonOffset(double x, double y) {
        double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
        r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        r += (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
        r += (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        return r;
    }
}
