package org.labcommons.core.billing.ledger;

/**
 * One line of a posting: the account (by code) and the amount in fen, debit positive, credit negative, never zero.
 * No rounding happens in the ledger: the amounts are whole fen as the caller computed them.
 */
public record Line(String accountCode, long amountFen) {
}
