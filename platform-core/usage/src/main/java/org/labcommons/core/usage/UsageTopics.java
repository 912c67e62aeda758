package org.labcommons.core.usage;

import jakarta.inject.Singleton;
import org.labcommons.core.events.EventTopics;

import java.util.List;

/** The usage module's outbox topics (docs/events.md, docs/usage.md). */
@Singleton
public class UsageTopics implements EventTopics {
    /** A usage session opened, changed, closed, was corrected or superseded (key = session id). */
    public static final String USAGE_SESSION = "usage.session.v1";

    @Override
    public List<String> topics() {
        return List.of(USAGE_SESSION);
    }
}
