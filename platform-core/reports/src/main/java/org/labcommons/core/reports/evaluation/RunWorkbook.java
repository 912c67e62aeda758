package org.labcommons.core.reports.evaluation;

import org.labcommons.core.web.Xlsx;

import java.util.List;

/** An evaluation run as a deterministic xlsx (the kernel's {@link Xlsx}, decimal cells as the API shows them). */
final class RunWorkbook {
    static final String XLSX = Xlsx.CONTENT_TYPE;

    private RunWorkbook() {
    }

    /**
     * A run as a sheet: one row per instrument (rank, asset number, names, original value in RMB, effective hours, each
     * group's weighted score, the total, the missing figures), best first as the run orders them, then the population
     * figures. Every number as the API shows it: the same run gives the same bytes.
     */
    static byte[] of(Run run, Scheme scheme) {
        List<List<Object>> rows = new java.util.ArrayList<>();
        List<Object> header = new java.util.ArrayList<>(List.of("排名 Rank", "仪器编号 Asset number", "仪器名称", "Name",
                "原值（元） Value (RMB)", "有效机时 Effective hours"));
        scheme.groups().forEach(g -> header.add(g.nameZh() + " " + g.nameEn() + " (" + g.weight().movePointRight(2)
                .stripTrailingZeros().toPlainString() + " %)"));
        header.add("加权总分 Total");
        header.add("缺少的指标 Missing figures");
        rows.add(header);
        for (Run.Score s : run.scores()) {
            List<Object> row = new java.util.ArrayList<>();
            row.add(s.rank() == null ? null : Long.valueOf(s.rank()));
            row.add(s.assetNumber());
            row.add(s.nameZh());
            row.add(s.nameEn());
            row.add(java.math.BigDecimal.valueOf(s.valueFen(), 2));   // fen to yuan: exact, two decimals
            row.add(s.effectiveHours());
            for (Scheme.Group g : scheme.groups()) {
                row.add(s.card().groups().stream().filter(x -> x.code().equals(g.code())).findFirst()
                        .map(ScoreCard.GroupScore::weighted).orElse(null));
            }
            row.add(s.total());
            row.add(String.join(", ", s.card().missing()));
            rows.add(row);
        }
        rows.add(List.of());
        rows.add(java.util.Arrays.asList("平均机时 Mean hours", run.meanHours()));
        rows.add(java.util.Arrays.asList("机时标准差 SD hours", run.sdHours()));
        rows.add(java.util.Arrays.asList("平均效益分数 Mean score", run.meanScore()));
        rows.add(java.util.Arrays.asList("效益分数标准差 SD score", run.sdScore()));
        return Xlsx.write(scheme.code() + "-" + run.year() + "-v" + run.version(), rows);
    }
}
