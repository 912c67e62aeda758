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
 *   <li>{@code national-weight-operation|sharing|management}: the national scheme's weights (运行使用, 共享服务成效,
 *       组织管理) when it is copied into a tenant (fractions summing to 1; later changes are new versions of the
 *       tenant's scheme).</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.reports.evaluation")
public class EvaluationSettings {
    private long minValueFen = 40_000_000L;
    private BigDecimal explainBelowHours = new BigDecimal("150");
    private BigDecimal nationalWeightOperation = new BigDecimal("0.4");
    private BigDecimal nationalWeightSharing = new BigDecimal("0.4");
    private BigDecimal nationalWeightManagement = new BigDecimal("0.2");

    public long getMinValueFen() { return minValueFen; }
    public void setMinValueFen(long minValueFen) { this.minValueFen = minValueFen; }
    public BigDecimal getExplainBelowHours() { return explainBelowHours; }
    public void setExplainBelowHours(BigDecimal explainBelowHours) { this.explainBelowHours = explainBelowHours; }
    public BigDecimal getNationalWeightOperation() { return nationalWeightOperation; }
    public void setNationalWeightOperation(BigDecimal v) { this.nationalWeightOperation = v; }
    public BigDecimal getNationalWeightSharing() { return nationalWeightSharing; }
    public void setNationalWeightSharing(BigDecimal v) { this.nationalWeightSharing = v; }
    public BigDecimal getNationalWeightManagement() { return nationalWeightManagement; }
    public void setNationalWeightManagement(BigDecimal v) { this.nationalWeightManagement = v; }
}
