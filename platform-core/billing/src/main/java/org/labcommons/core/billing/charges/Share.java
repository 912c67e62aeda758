package org.labcommons.core.billing.charges;

/** A part of a charge someone else pays ({@link ChargeShares}): debited to {@code ledgerCode}. */
public record Share(String ledgerCode, long amountFen, String kind /* subsidy|voucher */, String reference, String nameZh, String nameEn) {}
