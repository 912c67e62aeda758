package org.labcommons.core.billing.interinst;

/**
 * The disbursement split of an amount by shares in basis points (summing to 10,000), rounded by the largest remainder:
 * each part is first {@code floor(amount × bp / 10,000)}; the fen left over (at most two) go one each to the parts with
 * the largest remainders ({@code amount × bp mod 10,000}), ties in the order lab, department, institution. So the
 * parts sum to the amount exactly and none is more than one fen off its exact share.
 */
public record Split(long labFen, long departmentFen, long institutionFen) {

    /** Splits {@code amountFen} (≥ 0) by {@code lab}, {@code department}, {@code institution} basis points. */
    public static Split of(long amountFen, int lab, int department, int institution) {
        if (amountFen < 0 || lab < 0 || department < 0 || institution < 0 || lab + department + institution != 10_000) {
            throw new IllegalArgumentException("shares must be non-negative and sum to 10,000 basis points");
        }
        int[] bp = {lab, department, institution};
        long[] part = new long[3];
        long[] remainder = new long[3];
        long given = 0;
        for (int i = 0; i < 3; i++) {
            long product = Math.multiplyExact(amountFen, (long) bp[i]);
            part[i] = product / 10_000;
            remainder[i] = product % 10_000;
            given += part[i];
        }
        for (long left = amountFen - given; left > 0; left--) {
            int best = -1;
            for (int i = 0; i < 3; i++) {
                if (bp[i] > 0 && remainder[i] >= 0 && (best < 0 || remainder[i] > remainder[best])) {
                    best = i;
                }
            }
            part[best]++;
            remainder[best] = -1; // one extra fen per part at most
        }
        return new Split(part[0], part[1], part[2]);
    }
}
