package org.labcommons.core.usage.grants;

import io.micronaut.context.event.ApplicationEventListener;
import jakarta.inject.Singleton;
import org.labcommons.core.usage.overrides.InterlockOverrides;

/**
 * Republishes an instrument's grant record after a staff override of its interlock was made or revoked (the
 * event comes after the change committed), so the bridge's interlock sees it within the topic's propagation time.
 */
@Singleton
public record OverrideTrigger(GrantPublisher publisher) implements ApplicationEventListener<InterlockOverrides.OverridesChanged> {
    @Override
    public void onApplicationEvent(InterlockOverrides.OverridesChanged event) {
        publisher.republishQuietly(event.tenant(), event.instrumentId());
    }
}
