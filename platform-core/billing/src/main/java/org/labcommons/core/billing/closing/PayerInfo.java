package org.labcommons.core.billing.closing;

import io.micronaut.core.annotation.Nullable;

import java.time.LocalDate;
import java.util.UUID;

/**
 * What the payers' side knows of a payer account (issue 17 contract, part E): its code (the grant or account number
 * the finance system knows), names, the finance system's code, the last day it may be charged, its status
 * ({@code active}, {@code closed}, {@code expired}, ...) and the PI.
 */
public record PayerInfo(String code, String nameZh, String nameEn, @Nullable String financeCode, @Nullable LocalDate validTo,
                        String status, @Nullable UUID piUserId) {
}
