package org.labcommons.core.catalog.io;

import jakarta.inject.Singleton;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.catalog.Classifications;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentInput;
import org.labcommons.core.catalog.InstrumentQuery;
import org.labcommons.core.catalog.InstrumentService;
import org.labcommons.core.catalog.OrgUnits;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The catalogue list, with the list's own filters ({@link InstrumentQuery}), as .xlsx (SXSSF:
 * only a window of rows is in memory), as CSV (UTF-8 with a byte-order mark, so Excel picks the
 * encoding) or as Uniquip CSV (docs/catalogue-import.md). Text that a spreadsheet program would
 * take for a formula (first character {@code = + - @}, tab or CR) is written with a leading single
 * quote (OWASP "CSV injection"); our import takes that quote off again, so export → import is a
 * round trip. Numbers and dates are written by us, never taken from text, and stay numbers.
 * Headers are the register's words in zh-CN or en, which the import recognises.
 */
@Singleton
public record InstrumentExports(TenantTransactions tenants,
                                InstrumentService instruments,
                                Classifications classifications,
                                AuditLog audit,
                                OrgUnits orgUnits,
                                TenantDirectory directory) {
    /** The most rows one export writes. */
    public static final int MAX_ROWS = 100_000;
    private static final int PAGE = 500;

    public enum Format { XLSX, CSV, UNIQUIP }

    /** A column: its header in zh-CN and en, and its value for a record. */
    private record Column(String zh, String en, Function<Instrument, Object> value) {
    }

    /** What a column value needs besides the record. */
    private record Context(Map<UUID, RowMapper.Unit> units, boolean zh, String institution) {
    }

    private static List<Column> register(Context x) {
        List<Column> c = new ArrayList<>();
        c.add(new Column("仪器编号", "Asset number", Instrument::assetNumber));
        c.add(new Column("中文名称", "Chinese name", Instrument::nameZh));
        c.add(new Column("英文名称", "English name", Instrument::nameEn));
        c.add(new Column("型号", "Model", Instrument::model));
        c.add(new Column("生产厂家", "Manufacturer", Instrument::manufacturer));
        c.add(new Column("国别", "Country", Instrument::countryCode));
        c.add(new Column("原值(元)", "Original value (RMB)", i -> BigDecimal.valueOf(i.originalValueFen(), 2)));
        c.add(new Column("购置日期", "Purchase date", Instrument::purchaseDate));
        c.add(new Column("分类代码", "Classification code", Instrument::classificationCode));
        c.add(new Column("所属单位", "Owning unit", i -> {
            RowMapper.Unit u = i.orgUnitId() == null ? null : x.units().get(i.orgUnitId());
            return u == null ? null : u.code();
        }));
        c.add(new Column("楼宇", "Building", Instrument::building));
        c.add(new Column("房间", "Room", Instrument::room));
        c.add(new Column("纬度", "Latitude", Instrument::latitude));
        c.add(new Column("经度", "Longitude", Instrument::longitude));
        c.add(new Column("状态", "Status", i -> label(x.zh(), i.status(), STATUS_ZH)));
        c.add(new Column("用途", "Purpose", i -> label(x.zh(), i.purpose(), PURPOSE_ZH)));
        c.add(new Column("额定机时", "Rated annual hours", Instrument::ratedAnnualHours));
        c.add(new Column("共享范围", "Sharing scope", i -> label(x.zh(), i.sharingScope(), SCOPE_ZH)));
        c.add(new Column("豁免原因", "Exemption reason", i -> label(x.zh(), i.exemptionReason(), EXEMPTION_ZH)));
        c.add(new Column("豁免说明", "Exemption note", Instrument::exemptionNote));
        c.add(new Column("中文简介", "Description (zh)", Instrument::descriptionZh));
        c.add(new Column("英文简介", "Description (en)", Instrument::descriptionEn));
        c.add(new Column("基金资助", "Fund-subsidised", i -> i.flags().fundSubsidised()));
        c.add(new Column("效益评价", "Benefit evaluation", i -> i.flags().benefitEvaluation()));
        c.add(new Column("共享平台", "Shared platform", i -> i.flags().sharedPlatform()));
        c.add(new Column("进入CERS", "Listed in CERS", i -> i.flags().listedInCers()));
        c.add(new Column("海关监管", "Customs-supervised", i -> i.flags().customsSupervised()));
        c.add(new Column("联系人", "Contact name", i -> contact(i, 0, InstrumentInput.Contact::name)));
        c.add(new Column("联系电话", "Contact phone", i -> contact(i, 0, InstrumentInput.Contact::phone)));
        c.add(new Column("联系邮箱", "Contact email", i -> contact(i, 0, InstrumentInput.Contact::email)));
        return c;
    }

    /**
     * Uniquip (equipment.data.ac.uk): its columns in its order, then Manufacturer and Model as
     * extension columns. Headers are Uniquip's own (English) in both languages.
     */
    private List<Column> uniquip(Context x) {
        List<Column> c = new ArrayList<>();
        c.add(new Column("Type", "Type", i -> "equipment"));
        c.add(new Column("Name", "Name", Instrument::nameEn));
        c.add(new Column("Description", "Description", Instrument::descriptionEn));
        c.add(new Column("Related Facility ID", "Related Facility ID", i -> null));
        c.add(new Column("Technique", "Technique", i -> classifications.find(i.classificationCode())
                .map(e -> e.name(false)).orElse(null)));
        c.add(new Column("Location", "Location", Instrument::room));
        c.add(new Column("Contact Name", "Contact Name", i -> contact(i, 0, InstrumentInput.Contact::name)));
        c.add(new Column("Contact Telephone", "Contact Telephone", i -> contact(i, 0, InstrumentInput.Contact::phone)));
        c.add(new Column("Contact URL", "Contact URL", i -> null));
        c.add(new Column("Contact Email", "Contact Email", i -> contact(i, 0, InstrumentInput.Contact::email)));
        c.add(new Column("Secondary Contact Name", "Secondary Contact Name", i -> contact(i, 1, InstrumentInput.Contact::name)));
        c.add(new Column("Secondary Contact Telephone", "Secondary Contact Telephone",
                i -> contact(i, 1, InstrumentInput.Contact::phone)));
        c.add(new Column("Secondary Contact URL", "Secondary Contact URL", i -> null));
        c.add(new Column("Secondary Contact Email", "Secondary Contact Email", i -> contact(i, 1, InstrumentInput.Contact::email)));
        c.add(new Column("ID", "ID", Instrument::assetNumber));
        c.add(new Column("Photo", "Photo", i -> null));
        c.add(new Column("Department", "Department", i -> {
            RowMapper.Unit u = i.orgUnitId() == null ? null : x.units().get(i.orgUnitId());
            return u == null ? null : u.nameEn() != null && !u.nameEn().isBlank() ? u.nameEn() : u.nameZh();
        }));
        c.add(new Column("Site Location", "Site Location", i -> null));
        c.add(new Column("Building", "Building", Instrument::building));
        c.add(new Column("Service Level", "Service Level", i -> null));
        c.add(new Column("Web Address", "Web Address", i -> null));
        c.add(new Column("Institution Name", "Institution Name", i -> x.institution()));
        c.add(new Column("Datestamp", "Datestamp", i -> i.updatedAt().atOffset(ZoneOffset.UTC).toLocalDate().toString()));
        c.add(new Column("Approximate Coordinates", "Approximate Coordinates", i -> i.latitude() == null || i.longitude() == null
                ? null : i.latitude().toPlainString() + "," + i.longitude().toPlainString()));
        c.add(new Column("Manufacturer", "Manufacturer", Instrument::manufacturer));
        c.add(new Column("Model", "Model", Instrument::model));
        return c;
    }

    static final Map<String, String> STATUS_ZH = Map.of("in_service", "在用", "under_repair", "维修", "idle", "闲置",
            "retired", "报废");
    static final Map<String, String> STATUS_EN = Map.of("in_service", "in service", "under_repair", "under repair",
            "idle", "idle", "retired", "retired");
    static final Map<String, String> PURPOSE_ZH = Map.of("general", "通用", "special", "专用");
    static final Map<String, String> SCOPE_ZH = Map.of("private", "私有", "tenant", "本单位", "network", "网络",
            "consortium", "联盟", "public", "公开");
    static final Map<String, String> EXEMPTION_ZH = Map.of("classified", "涉密", "special_function", "特殊功能",
            "special_purpose", "特殊用途");

    private static String label(boolean zh, String code, Map<String, String> zhLabels) {
        if (code == null) {
            return null;
        }
        if (zh) {
            return zhLabels.getOrDefault(code, code);
        }
        return STATUS_EN.containsKey(code) && zhLabels == STATUS_ZH ? STATUS_EN.get(code) : code.replace('_', ' ');
    }

    private static String contact(Instrument i, int index, Function<InstrumentInput.Contact, String> part) {
        return i.contacts().size() > index ? part.apply(i.contacts().get(index)) : null;
    }

    /** How many rows went out. */
    public record Written(int rows) {
    }

    /**
     * Writes the records matching {@code query} (its offset and limit are ignored: every page is
     * written) to {@code out}, in one tenant transaction; audited as {@code instrument.exported}.
     */
    public Written write(TenantId tenant, AuditEntry.Actor actor, InstrumentQuery query, Format format, Locale locale,
                         OutputStream out) {
        String institution = institution(tenant);
        return tenants.inTenant(tenant, c -> {
            Context x = new Context(units(), !Locale.ENGLISH.getLanguage().equals(locale.getLanguage()),
                    institution);
            List<Column> columns = format == Format.UNIQUIP ? uniquip(x) : register(x);
            boolean zhHeaders = x.zh() && format != Format.UNIQUIP;
            int rows;
            try {
                rows = format == Format.XLSX ? xlsx(c, query, columns, zhHeaders, out)
                        : csv(c, query, columns, zhHeaders, format == Format.CSV, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, Object> details = new HashMap<>();
            details.put("format", format.name().toLowerCase(Locale.ROOT));
            details.put("rows", rows);
            audit.append(c, actor.entry("instrument.exported", "tenant", tenant.toString(), details));
            return new Written(rows);
        });
    }

    private interface Page {
        boolean each(Instrument i) throws IOException;
    }

    private int pages(Connection c, InstrumentQuery query, Page page) throws SQLException, IOException {
        int written = 0;
        for (int offset = 0; offset < MAX_ROWS; offset += PAGE) {
            InstrumentService.Page p = instruments.list(c, query.page(offset, Math.min(PAGE, MAX_ROWS - offset)));
            for (Instrument i : p.items()) {
                page.each(i);
                written++;
            }
            if (p.items().size() < PAGE) {
                break;
            }
        }
        return written;
    }

    private int xlsx(Connection c, InstrumentQuery query, List<Column> columns, boolean zh, OutputStream out)
            throws SQLException, IOException {
        SXSSFWorkbook wb = new SXSSFWorkbook(200);
        wb.setCompressTempFiles(true);
        try {
            SXSSFSheet sheet = wb.createSheet(zh ? "仪器" : "Instruments");
            CellStyle bold = wb.createCellStyle();
            Font font = wb.createFont();
            font.setBold(true);
            bold.setFont(font);
            CellStyle date = wb.createCellStyle();
            date.setDataFormat(wb.createDataFormat().getFormat("yyyy-mm-dd"));
            CellStyle money = wb.createCellStyle();
            money.setDataFormat(wb.createDataFormat().getFormat("0.00"));
            Row head = sheet.createRow(0);
            for (int k = 0; k < columns.size(); k++) {
                Cell cell = head.createCell(k);
                cell.setCellValue(zh ? columns.get(k).zh() : columns.get(k).en());
                cell.setCellStyle(bold);
            }
            int[] r = {1};
            int rows = pages(c, query, i -> {
                Row row = sheet.createRow(r[0]++);
                for (int k = 0; k < columns.size(); k++) {
                    Object v = columns.get(k).value().apply(i);
                    if (v == null) {
                        continue;
                    }
                    Cell cell = row.createCell(k);
                    if (v instanceof BigDecimal d) {
                        cell.setCellValue(d.doubleValue());
                        if (d.scale() == 2) {
                            cell.setCellStyle(money);
                        }
                    } else if (v instanceof Number n) {
                        cell.setCellValue(n.doubleValue());
                    } else if (v instanceof LocalDate d) {
                        cell.setCellValue(d);
                        cell.setCellStyle(date);
                    } else if (v instanceof Boolean b) {
                        cell.setCellValue(zh ? (b ? "是" : "否") : (b ? "Yes" : "No"));
                    } else {
                        cell.setCellValue(CellValues.neutralise(v.toString()));
                    }
                }
                return true;
            });
            wb.write(out);
            return rows;
        } finally {
            wb.close();   // also removes SXSSF's temporary files
        }
    }

    private int csv(Connection c, InstrumentQuery query, List<Column> columns, boolean zh, boolean bom, OutputStream out)
            throws SQLException, IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        if (bom) {
            w.write('\uFEFF');
        }
        List<String> head = new ArrayList<>();
        columns.forEach(col -> head.add(zh ? col.zh() : col.en()));
        line(w, head);
        List<String> cells = new ArrayList<>(columns.size());
        int rows = pages(c, query, i -> {
            cells.clear();
            for (Column col : columns) {
                Object v = col.value().apply(i);
                if (v == null) {
                    cells.add("");
                } else if (v instanceof BigDecimal d) {
                    cells.add(d.toPlainString());
                } else if (v instanceof Number || v instanceof LocalDate) {
                    cells.add(v.toString());
                } else if (v instanceof Boolean b) {
                    cells.add(zh ? (b ? "是" : "否") : (b ? "Yes" : "No"));
                } else {
                    cells.add(CellValues.neutralise(v.toString()));
                }
            }
            line(w, cells);
            return true;
        });
        w.flush();
        return rows;
    }

    private static void line(Writer w, List<String> cells) throws IOException {
        for (int k = 0; k < cells.size(); k++) {
            if (k > 0) {
                w.write(',');
            }
            String v = cells.get(k);
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
                    || v.indexOf('\t') >= 0 || (!v.isEmpty() && (v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' '))) {
                w.write('"');
                w.write(v.replace("\"", "\"\""));
                w.write('"');
            } else {
                w.write(v);
            }
        }
        w.write("\r\n");
    }

    private Map<UUID, RowMapper.Unit> units() {
        Map<UUID, RowMapper.Unit> out = new HashMap<>();
        orgUnits.ofBoundTenant().forEach(u -> out.put(u.id(), RowMapper.Unit.of(u)));
        return out;
    }

    /** The institution's name for Uniquip: English when it has one. */
    private String institution(TenantId tenant) {
        return directory.activeProfile(tenant.toString())
                .map(t -> t.nameEn() != null ? t.nameEn() : t.nameZh()).orElse(null);
    }
}
