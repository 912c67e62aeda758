package org.labcommons.core.samples;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/**
 * Request bodies of the sample-request API. They are checked by {@link SampleRequests} (one place
 * for the API and the pages), which answers 400 {@code validation_failed} with field-level
 * messages. {@code version}: the version the caller last saw (like {@code If-Match}); a stale one
 * is 409 {@code version_conflict}.
 */
public final class SampleInputs {
    private SampleInputs() {
    }

    /** A new request: the service (optional), how many samples, what to test, what they are, hazards. */
    @Serdeable
    public record NewRequest(@Nullable UUID serviceId, @Nullable Integer sampleCount, @Nullable List<String> items,
                             @Nullable String sampleInfo, @Nullable List<String> hazards, @Nullable String safetyNotes,
                             @Nullable String accountCode) {
    }

    /** A decision or a step with an optional note ({@code reason} is required to reject and to cancel). */
    @Serdeable
    public record Step(@Nullable String note, @Nullable Long version) {
    }

    /** Samples arrived: how many, in what condition. */
    @Serdeable
    public record Receipt(@Nullable Integer receivedCount, @Nullable String note, @Nullable Long version) {
    }
}
