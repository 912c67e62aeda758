package org.labcommons.core.reports.evaluation;

import java.math.BigDecimal;
import java.util.List;

import static org.labcommons.core.reports.evaluation.EvaluationInputs.*;

/**
 * The built-in schemes, copied into a tenant's tables the first time the tenant's schemes are read
 * ({@link EvaluationSchemes#ensureDefaults}); from then on they are the tenant's data, changed by new versions.
 * <ul>
 *   <li>{@code tsinghua} (清华大学大型仪器设备使用效益评价表, public-service instruments, DOMAIN.md): machine-time use
 *       35 %, public service 30 %, users' results 15 %, the remaining 20 % starting with technical training; each
 *       subtotal capped at 100;</li>
 *   <li>{@code national} (运行使用, 共享服务成效, 组织管理): the three headings of the national evaluation with the
 *       configured weights ({@code labcommons.reports.evaluation.national-weight-*}); the items under them are this
 *       platform's proposal (the seeds name only the headings) and are meant to be replaced by a new version.</li>
 * </ul>
 */
public final class DefaultSchemes {
    private DefaultSchemes() {
    }

    public static Scheme tsinghua(long minValueFen, BigDecimal explainBelowHours) {
        return new Scheme(null, "tsinghua", 1, "大型仪器设备使用效益评价（清华表）",
                "Yearly benefit evaluation of large instruments (Tsinghua form)", "instrument", minValueFen,
                explainBelowHours, "active", null, null, null, List.of(
                new Scheme.Group("machine_time", "机时利用", "Machine-time use", new BigDecimal("0.35"), HUNDRED, List.of(
                        item("effective_hours", "有效机时", "Effective hours", EFFECTIVE_HOURS,
                                Scheme.Rule.utilisation(RATED_HOURS, "86", "150", "130", "100")))),
                new Scheme.Group("public_service", "公共服务", "Public service", new BigDecimal("0.30"), HUNDRED, List.of(
                        item("ordinary_projects", "支持的普通科研项目数", "Ordinary research projects supported",
                                ORDINARY_PROJECTS, Scheme.Rule.perUnit("1", "1", null)),
                        item("key_projects", "支持的重点科研项目数", "Key research projects supported",
                                KEY_PROJECTS, Scheme.Rule.perUnit("2", "1", null)),
                        item("departments", "支持的院系数", "Departments supported", DEPARTMENTS,
                                Scheme.Rule.perUnit("2", "1", null)),
                        item("researchers", "支持的科研人员数", "Researchers served", RESEARCHERS,
                                Scheme.Rule.perUnit("1", "1", null)),
                        item("external_fees", "校外测试收费", "External test fees", EXTERNAL_FEES_FEN,
                                Scheme.Rule.perUnit("1", "100000", null)))),   // 1 point per 1,000 RMB = 100,000 fen
                new Scheme.Group("results", "用户取得的成果", "Users' results", new BigDecimal("0.15"), HUNDRED, List.of(
                        item("national_awards", "国际奖、国家级奖", "International and national awards",
                                NATIONAL_AWARDS, Scheme.Rule.perUnit("80", "1", null)),
                        item("provincial_awards", "省、部级奖", "Provincial and ministerial awards",
                                PROVINCIAL_AWARDS, Scheme.Rule.perUnit("50", "1", null)),
                        item("sci_papers", "SCI收录文章", "SCI papers", SCI_PAPERS, Scheme.Rule.perUnit("2", "1", null)),
                        item("core_papers", "核心期刊", "Core-journal papers", CORE_PAPERS,
                                Scheme.Rule.perUnit("1", "1", null)),
                        item("patents", "专利", "Patents", PATENTS, Scheme.Rule.perUnit("2", "1", null)))),
                new Scheme.Group("other", "其他", "Other", new BigDecimal("0.20"), HUNDRED, List.of(
                        item("trainings", "技术培训", "Technical training", TRAININGS,
                                Scheme.Rule.perUnit("5", "1", null))))));
    }

    public static Scheme national(long minValueFen, BigDecimal explainBelowHours, BigDecimal operation,
                                  BigDecimal sharing, BigDecimal management) {
        return new Scheme(null, "national", 1, "科研设施与仪器开放共享评价（国家）",
                "Open sharing evaluation of research instruments (national)", "instrument", minValueFen,
                explainBelowHours, "active", null, null, null, List.of(
                new Scheme.Group("operation", "运行使用", "Operation and use", operation, HUNDRED, List.of(
                        item("effective_vs_rated", "有效机时/额定机时", "Effective against rated hours",
                                EFFECTIVE_HOURS, Scheme.Rule.proportional(RATED_HOURS, "100")))),
                new Scheme.Group("sharing", "共享服务成效", "Sharing service effect", sharing, HUNDRED, List.of(
                        item("external_hours", "对外服务机时", "External service hours", EXTERNAL_HOURS,
                                Scheme.Rule.perUnit("1", "10", "40")),
                        item("external_fees", "对外服务收入", "External service revenue", EXTERNAL_FEES_FEN,
                                Scheme.Rule.perUnit("1", "1000000", "30")),   // 1 point per 10,000 RMB, at most 30
                        item("user_rating", "用户评价", "Users' rating", RATING_MEAN, Scheme.Rule.bands(List.of(
                                new Scheme.Band(new BigDecimal("3"), new BigDecimal("10")),
                                new Scheme.Band(new BigDecimal("4"), new BigDecimal("20")),
                                new Scheme.Band(new BigDecimal("4.5"), new BigDecimal("30"))))))),
                new Scheme.Group("management", "组织管理", "Organisation and management", management, HUNDRED, List.of(
                        item("management", "管理制度与在线服务（评审给分）", "Rules and online service (reviewers' score)",
                                MANAGEMENT_SCORE, Scheme.Rule.manual("100"))))));
    }

    private static final BigDecimal HUNDRED = new BigDecimal("100");

    private static Scheme.Item item(String code, String zh, String en, String input, Scheme.Rule rule) {
        return new Scheme.Item(code, zh, en, input, rule);
    }
}
