package org.labcommons.core.reports.ratings;

import jakarta.inject.Singleton;
import org.labcommons.core.events.EventTopics;

import java.util.List;

/** The ratings' outbox topic (docs/events.md "reports.rating.v1"). */
@Singleton
public class RatingTopics implements EventTopics {
    /** A rating was made or changed, or its reply written or edited (key = rating id). */
    public static final String RATING = "reports.rating.v1";

    @Override
    public List<String> topics() {
        return List.of(RATING);
    }
}
