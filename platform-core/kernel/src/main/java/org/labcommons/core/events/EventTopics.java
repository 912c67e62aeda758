package org.labcommons.core.events;

import java.util.List;

/**
 * The Kafka topics one module defines, as a bean: each topic name is a constant of the module's
 * {@code *Topics} class, the one place the name is spelled, and the code that writes or reads the
 * topic uses that constant. The outbox relay creates every declared topic at start
 * (docs/events.md lists them).
 */
public interface EventTopics {
    /** The topics this module defines. */
    List<String> topics();
}
