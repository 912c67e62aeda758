package org.labcommons.core.catalog.io

import org.apache.poi.xssf.streaming.SXSSFWorkbook

import java.nio.file.Files
import java.nio.file.Path
import java.time.LocalDate

/**
 * A realistic Chinese asset register (大型仪器设备清单) for benchmarks and the dev sample: mixed
 * value formats (元 with separators, a 万元 column is not used so one file fits both), dates in
 * the formats registers use (2012-09-18, 2012/9/18, 2012年9月18日, Excel date cells), national
 * classification codes (level 3, from ../shared/data when present), statuses and sharing scopes
 * in Chinese, and — when asked — a few bad rows of the kinds the dry run must report.
 *
 * Standalone: {@code groovy RegisterGenerator.groovy <rows> <out-dir> [unitCodes...]}.
 */
class RegisterGenerator {
    static final List<String> HEADER = ['序号', '仪器编号', '仪器名称', '英文名称', '规格型号', '生产厂家', '国别',
                                        '原值（元）', '购置日期', '分类代码', '使用单位', '存放地点', '房间', '状态',
                                        '共享范围', '联系人', '联系电话']
    static final List<List<String>> KINDS = [
            ['核磁共振波谱仪', 'NMR spectrometer', 'Bruker', '瑞士', 'AVANCE NEO 400'],
            ['透射电子显微镜', 'Transmission electron microscope', 'JEOL', '日本', 'JEM-2100F'],
            ['扫描电子显微镜', 'Scanning electron microscope', 'Zeiss', '德国', 'Sigma 300'],
            ['X射线衍射仪', 'X-ray diffractometer', 'Rigaku', '日本', 'SmartLab 9kW'],
            ['X射线光电子能谱仪', 'X-ray photoelectron spectrometer', 'Thermo Fisher', '美国', 'ESCALAB 250Xi'],
            ['原子力显微镜', 'Atomic force microscope', 'Bruker', '美国', 'Dimension Icon'],
            ['流式细胞仪', 'Flow cytometer', 'BD', '美国', 'FACSAria III'],
            ['激光共聚焦显微镜', 'Confocal laser scanning microscope', 'Leica', '德国', 'TCS SP8'],
            ['气相色谱质谱联用仪', 'GC-MS', 'Agilent', '美国', '7890B-5977B'],
            ['液相色谱质谱联用仪', 'LC-MS', 'Waters', '美国', 'Xevo G2-XS'],
            ['电感耦合等离子体质谱仪', 'ICP-MS', 'PerkinElmer', '美国', 'NexION 350X'],
            ['热重分析仪', 'Thermogravimetric analyser', 'NETZSCH', '德国', 'TG 209 F3'],
            ['高效液相色谱仪', 'HPLC', '岛津', '日本', 'LC-20AT'],
            ['紫外可见分光光度计', 'UV-Vis spectrophotometer', '上海元析', '中国', 'UV-5500'],
            ['万能材料试验机', 'Universal testing machine', '深圳三思', '中国', 'UTM5105']]
    static final List<String> STATUS = ['在用', '在用', '在用', '在用', '维修', '闲置', '报废']
    static final List<String> SCOPE = ['公开', '公开', '联盟', '本单位', '网络']
    static final List<String> BUILDINGS = ['化学楼', '材料楼', '生命科学楼', '物理楼', '分析测试中心', '工程实验楼']
    static final List<String> PEOPLE = ['王老师', '李老师', '张工', '刘工程师', '陈老师', '杨老师']

    /** Level-3 codes of the national classification (the shared reference file, else a few known ones). */
    static List<String> classificationCodes() {
        def candidates = [System.getProperty('labcommons.classification.csv'), '../shared/data/nrii-instrument-classification.csv',
                          '../../shared/data/nrii-instrument-classification.csv', '../../../shared/data/nrii-instrument-classification.csv', '/work/shared/data/nrii-instrument-classification.csv']
        for (String c : candidates) {
            if (c && Files.exists(Path.of(c))) {
                def codes = Files.readAllLines(Path.of(c)).drop(1).collect { it.split(',')[0] }
                        .findAll { it ==~ /\d{6}/ && !it.endsWith('00') }
                if (codes) { return codes }
            }
        }
        ['010601', '010101', '010102', '010301', '010801', '010201', '011001', '010501', '010401']
    }

    /**
     * Rows of the register: row i (0-based) has asset {@code prefix-000001}…; {@code bad} rows are
     * spoiled in turn: an unreadable value, an unknown classification code, a duplicate asset
     * number, an unknown unit, an impossible date, a missing name.
     */
    static List<List<Object>> rows(String prefix, int count, List<String> units, int bad, long seed = 42) {
        def random = new Random(seed)
        def codes = classificationCodes()
        def out = []
        for (int i = 0; i < count; i++) {
            def kind = KINDS[random.nextInt(KINDS.size())]
            long fen = (5_000_000L + (long) (random.nextDouble() * random.nextDouble() * 800_000_000L))
            String value = i % 3 == 0 ? String.format('%,.2f', fen / 100.0d) : i % 3 == 1 ? String.format('%.2f', fen / 100.0d)
                    : String.valueOf(fen.intdiv(100))
            def date = LocalDate.of(2003, 1, 1).plusDays(random.nextInt(7500))
            Object when = i % 4 == 0 ? date.toString() : i % 4 == 1 ? "${date.year}/${date.monthValue}/${date.dayOfMonth}".toString()
                    : i % 4 == 2 ? "${date.year}年${date.monthValue}月${date.dayOfMonth}日".toString() : date
            def row = [i + 1, String.format('%s-%06d', prefix, i + 1), kind[0], kind[1], kind[4], kind[2], kind[3], value, when,
                       codes[random.nextInt(codes.size())], units[random.nextInt(units.size())],
                       BUILDINGS[random.nextInt(BUILDINGS.size())], "${(char) ('A' as char) + random.nextInt(4)}${100 + random.nextInt(400)}".toString(),
                       STATUS[random.nextInt(STATUS.size())], SCOPE[random.nextInt(SCOPE.size())],
                       PEOPLE[random.nextInt(PEOPLE.size())], "0571-8${String.format('%07d', random.nextInt(10_000_000))}".toString()]
            out << row
        }
        int step = bad > 0 ? Math.max(1, count.intdiv(bad + 1)) : 0
        for (int b = 0; b < bad; b++) {
            def row = out[(b + 1) * step - 1]
            switch (b % 6) {
                case 0: row[7] = '约120万'; break
                case 1: row[9] = '999999'; break
                case 2: row[1] = out[0][1]; break
                case 3: row[10] = '不存在的学院'; break
                case 4: row[8] = '2019-02-30'; break
                default: row[2] = ''; row[3] = ''
            }
        }
        out
    }

    static byte[] xlsx(List<List<Object>> rows, List<String> header = HEADER) {
        def wb = new SXSSFWorkbook(200)
        try {
            def sheet = wb.createSheet('大型仪器设备')
            def dateStyle = wb.createCellStyle()
            dateStyle.dataFormat = wb.createDataFormat().getFormat('yyyy"年"m"月"d"日"')
            def head = sheet.createRow(0)
            header.eachWithIndex { h, k -> head.createCell(k).setCellValue(h) }
            rows.eachWithIndex { List<Object> row, int r ->
                def xr = sheet.createRow(r + 1)
                row.eachWithIndex { Object v, int k ->
                    def cell = xr.createCell(k)
                    if (v instanceof LocalDate) { cell.setCellValue((LocalDate) v); cell.cellStyle = dateStyle }
                    else if (v instanceof Number) { cell.setCellValue(((Number) v).doubleValue()) }
                    else { cell.setCellValue(v.toString()) }
                }
            }
            def out = new ByteArrayOutputStream()
            wb.write(out)
            out.toByteArray()
        } finally {
            wb.close()
        }
    }

    /** CSV as Chinese Excel saves it ("CSV (逗号分隔)"): GB18030/GBK, CRLF. */
    static byte[] csvGbk(List<List<Object>> rows) {
        ImportFiles.csv([HEADER] + rows.collect { r -> r.collect { it instanceof LocalDate ? it.toString() : it } })
                .getBytes(ImportFiles.GB18030)
    }

    /** The register without its unit column (for an institution whose unit codes are not known yet). */
    static List<List<Object>> withoutUnits(List<List<Object>> rows) {
        rows.collect { r -> r.withIndex().findAll { v, i -> i != 10 }.collect { it[0] } }
    }

    static final List<String> HEADER_WITHOUT_UNITS = HEADER.withIndex().findAll { v, i -> i != 10 }.collect { it[0] }

    /** The dev-mode sample: 200 instruments of a new university (no unit column), 4 bad rows (the unknown unit goes with the column: 3 refused). */
    static byte[] sample() {
        xlsx(withoutUnits(rows('XN2026', 200, ['-'], 4, 2026)), HEADER_WITHOUT_UNITS)
    }

    static void main(String[] args) {
        int count = args.length > 0 ? args[0] as int : 10_000
        Path dir = Path.of(args.length > 1 ? args[1] : '.')
        List<String> units = args.length > 2 ? args.drop(2) as List : ['CHEM', 'MAT', 'LIFE', 'PHYS']
        Files.createDirectories(dir)
        def rows = rows('ZJ', count, units, Math.max(3, count.intdiv(2000)))
        Files.write(dir.resolve("register-${count}.xlsx"), xlsx(rows))
        Files.write(dir.resolve("register-${count}.csv"), csvGbk(rows))
    }
}
