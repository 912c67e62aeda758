package org.labcommons.federation;

import jakarta.inject.Singleton;
import org.labcommons.core.events.EventTopics;

import java.util.List;

/** Federation's topic: commands to a booking's owner institution (the cancellation saga, docs/events.md). */
@Singleton
public class FederationTopics implements EventTopics {
    public static final String BOOKING_COMMAND = "booking.command.v1";

    @Override
    public List<String> topics() {
        return List.of(BOOKING_COMMAND);
    }
}
