package org.labcommons.core.reports.facts;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;
import java.util.UUID;

/**
 * One instrument's figures of a calendar year (the tenant's zone) from the rollups: what the yearly evaluation reads.
 * Hours are minutes / 60 (not rounded; round where shown). "External" is every user who is not internal: consortium
 * members and users outside the consortium (the evaluation forms' 校外).
 *
 * @param hoursByServiceType effective hours per service type (every type present, 0 when none)
 * @param hoursByUserClass   effective hours per user class (every class present)
 * @param distinctUsers      people who used, booked, sent samples or were charged, each once
 * @param distinctProjects   account codes (projects) of the bookings, sample requests and charges, each once
 * @param trainees           people granted the instrument's qualification in the year, each once
 */
@Serdeable
public record InstrumentYearFigures(UUID instrumentId, int year, double effectiveHours, double bookedHours,
                                    double externalHours, long samples, long revenueFen, long externalRevenueFen,
                                    long distinctUsers, long distinctProjects, long trainees,
                                    Map<String, Double> hoursByServiceType, Map<String, Double> hoursByUserClass) {
}
