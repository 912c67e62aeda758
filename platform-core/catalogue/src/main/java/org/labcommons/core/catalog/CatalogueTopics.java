package org.labcommons.core.catalog;

import jakarta.inject.Singleton;
import org.labcommons.core.events.EventTopics;

import java.util.List;

/** The catalogue's topic: instrument changes ({@link CatalogueEvents}, docs/events.md). */
@Singleton
public class CatalogueTopics implements EventTopics {
    public static final String INSTRUMENT = "catalog.instrument.v1";

    @Override
    public List<String> topics() {
        return List.of(INSTRUMENT);
    }
}
