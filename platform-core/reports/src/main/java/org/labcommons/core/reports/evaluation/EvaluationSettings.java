package org.labcommons.core.reports.evaluation;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.math.BigDecimal;

/**
 * {@code labcommons.reports.evaluation.*} (defaults in the kernel's application.yml):
 * <ul>
 *   <li>{@code min-value-fen}: instruments of at least this original value are evaluated when a scheme names no value
 *       of its own (400,000 RMB = 40,000,000 fen, DOMAIN.md);</li>
 *   <li>{@code explain-below-hours}: the built-in schemes' hours below which an instrument's managers must explain
 *       (150, the Tsinghua form);</li>
 *   <li>{@code national-weights.operation|sharing|management}: the national scheme's weights when it is copied into a
 *       tenant (fractions summing to 1; later changes are new versions of the tenant's scheme).</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.reports.evaluation")
public class EvaluationSettings {
    private long minValueFen = 40_000_000L;
    private BigDecimal explainBelowHours = new BigDecimal("150");
    private NationalWeights nationalWeights = new NationalWeights();

    public long getMinValueFen() { return minValueFen; }
    public void setMinValueFen(long minValueFen) { this.minValueFen = minValueFen; }
    public BigDecimal getExplainBelowHours() { return explainBelowHours; }
    public void setExplainBelowHours(BigDecimal explainBelowHours) { this.explainBelowHours = explainBelowHours; }
    public NationalWeights getNationalWeights() { return nationalWeights; }
    public void setNationalWeights(NationalWeights nationalWeights) { this.nationalWeights = nationalWeights; }

    /** {@code labcommons.reports.evaluation.national-weights.*}. */
    @ConfigurationProperties("national-weights")
    public static class NationalWeights {
        private BigDecimal operation = new BigDecimal("0.40");
        private BigDecimal sharing = new BigDecimal("0.40");
        private BigDecimal management = new BigDecimal("0.20");

        public BigDecimal getOperation() { return operation; }
        public void setOperation(BigDecimal operation) { this.operation = operation; }
        public BigDecimal getSharing() { return sharing; }
        public void setSharing(BigDecimal sharing) { this.sharing = sharing; }
        public BigDecimal getManagement() { return management; }
        public void setManagement(BigDecimal management) { this.management = management; }
    }
}
