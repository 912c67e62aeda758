package org.labcommons.core.billing.charges;

/** A part of a charge someone else pays: the ledger line's account, its amount (fen), kind, reference and names. */
public record Share(String ledgerCode, long amountFen, String kind /* subsidy|voucher */, String reference, String nameZh, String nameEn) {}
