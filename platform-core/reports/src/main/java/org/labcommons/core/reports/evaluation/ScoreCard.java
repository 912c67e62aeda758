package org.labcommons.core.reports.evaluation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.util.List;

/**
 * One subject's score under one scheme ({@link ScoringEngine}). Every figure shown has one decimal (the form's), and
 * is null when it is not available: an item whose figure (or reference figure) is missing, a group with such an item,
 * and then the total ({@code available} false, {@code missing} naming the figures).
 */
@Serdeable
public record ScoreCard(@Nullable BigDecimal total, boolean available, List<String> missing, List<GroupScore> groups) {

    public ScoreCard {
        missing = missing == null ? List.of() : List.copyOf(missing);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /**
     * A group: {@code sum} of its items' points, {@code subtotal} = min(sum, cap), {@code weighted} = subtotal &times;
     * weight; {@code capped} when the cap cut the sum.
     */
    @Serdeable
    public record GroupScore(String code, BigDecimal weight, BigDecimal cap, @Nullable BigDecimal sum,
                             @Nullable BigDecimal subtotal, @Nullable BigDecimal weighted, boolean capped,
                             List<ItemScore> items) {
        public GroupScore {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    /**
     * An item: the figure it read ({@code value}, null when missing), its {@code points} (null when not available),
     * {@code capped} when the item's own cap or maximum cut them, {@code missing} the figures it lacked.
     */
    @Serdeable
    public record ItemScore(String code, String input, String kind, @Nullable BigDecimal value,
                            @Nullable BigDecimal points, boolean capped, List<String> missing) {
        public ItemScore {
            missing = missing == null ? List.of() : List.copyOf(missing);
        }
    }
}
