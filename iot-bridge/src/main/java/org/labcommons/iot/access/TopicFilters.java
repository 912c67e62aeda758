package org.labcommons.iot.access;

/**
 * MQTT topic filter matching (MQTT 5, section 4.7) as an access check needs it: whether a granted
 * filter covers a topic to publish to, or a filter to subscribe with. A requested wildcard is
 * covered only by a wildcard at least as wide in the grant; a grant's wildcard in the first level
 * never covers a {@code $} topic (such as {@code $SYS}).
 */
public final class TopicFilters {
    private TopicFilters() {
    }

    /** Whether {@code grant} covers {@code requested} (a topic name, or a filter when subscribing). */
    public static boolean covers(String grant, String requested) {
        if (grant == null || requested == null || grant.isEmpty() || requested.isEmpty()) {
            return false;
        }
        String[] g = grant.split("/", -1);
        String[] r = requested.split("/", -1);
        boolean dollar = r[0].startsWith("$");
        for (int i = 0; i < g.length; i++) {
            if (g[i].equals("#")) {
                return i == g.length - 1 && !(i == 0 && dollar);
            }
            if (i >= r.length || r[i].equals("#")) {
                return false;
            }
            if (g[i].equals("+")) {
                if (i == 0 && dollar) {
                    return false;
                }
                continue;
            }
            if (!g[i].equals(r[i])) {
                return false;
            }
        }
        return g.length == r.length;
    }

    /** Whether {@code topic} is a valid topic name to publish to: not empty, no wildcard, no NUL. */
    public static boolean isTopicName(String topic) {
        return topic != null && !topic.isEmpty() && topic.indexOf('+') < 0 && topic.indexOf('#') < 0
                && topic.indexOf('\0') < 0;
    }
}
