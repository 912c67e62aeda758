package org.labcommons.core.billing.charges;

import io.micronaut.core.annotation.Nullable;

import java.util.UUID;

public record PayerLine(UUID payerId, String payerKind /* project|department|customer|deposit|tenant */,
    String ledgerCode, boolean internal, @Nullable String userCategory /* staff|student|young_teacher|external */,
    @Nullable String taxId /* an external customer's unified social credit code, for vouchers */) {}
