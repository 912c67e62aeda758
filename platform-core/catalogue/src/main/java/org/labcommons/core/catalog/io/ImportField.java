package org.labcommons.core.catalog.io;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a column of an asset register can be mapped to, with the header words (Chinese asset
 * registers, English ones, our own export and the UK Uniquip format) that suggest it. Labels are
 * in the messages bundle as {@code import.field.<key>}.
 */
public enum ImportField {
    ASSET_NUMBER("assetNumber", Kind.TEXT, "仪器编号", "资产编号", "设备编号", "资产号", "固定资产编号", "仪器设备编号",
            "Asset number", "Asset no", "Asset ID", "Asset tag", "ID"),
    NAME_ZH("nameZh", Kind.TEXT, "仪器名称", "中文名称", "设备名称", "资产名称", "名称", "仪器中文名称", "Chinese name", "Name (zh)"),
    NAME_EN("nameEn", Kind.TEXT, "英文名称", "仪器英文名称", "English name", "Name (en)", "Name"),
    MODEL("model", Kind.TEXT, "型号", "规格型号", "型号规格", "规格", "Model"),
    MANUFACTURER("manufacturer", Kind.TEXT, "生产厂家", "制造商", "厂家", "生产厂商", "厂商", "品牌", "Manufacturer", "Maker"),
    COUNTRY("country", Kind.COUNTRY, "国别", "产地", "国别产地", "产地国别", "生产国别", "Country", "Country of origin"),
    ORIGINAL_VALUE("originalValue", Kind.YUAN, "原值", "原值(元)", "原值元", "金额", "金额(元)", "价格", "单价", "单价(元)",
            "资产原值", "仪器原值", "Original value", "Original value (RMB)", "Value", "Price", "Cost"),
    ORIGINAL_VALUE_WAN("originalValueWan", Kind.WAN_YUAN, "原值(万元)", "原值万元", "金额(万元)", "价格(万元)",
            "单价(万元)", "Original value (10k RMB)"),
    PURCHASE_DATE("purchaseDate", Kind.DATE, "购置日期", "购买日期", "购入日期", "入账日期", "购置时间", "取得日期",
            "Purchase date", "Date purchased", "Acquired"),
    CLASSIFICATION("classification", Kind.CLASSIFICATION, "分类代码", "仪器分类", "分类号", "分类", "仪器分类代码",
            "Classification", "Classification code"),
    ORG_UNIT("orgUnit", Kind.ORG_UNIT, "所属单位", "使用单位", "所属部门", "使用部门", "管理单位", "单位", "院系",
            "Owning unit", "Unit", "Department"),
    BUILDING("building", Kind.TEXT, "楼宇", "存放地点", "放置地点", "安放地点", "存放位置", "地点", "Building"),
    ROOM("room", Kind.TEXT, "房间", "房间号", "房号", "Room", "Location"),
    LATITUDE("latitude", Kind.DECIMAL, "纬度", "Latitude", "Lat"),
    LONGITUDE("longitude", Kind.DECIMAL, "经度", "Longitude", "Lon", "Lng"),
    COORDINATES("coordinates", Kind.COORDINATES, "坐标", "经纬度", "Approximate Coordinates", "Coordinates"),
    STATUS("status", Kind.STATUS, "状态", "使用状态", "仪器状态", "设备状态", "Status"),
    PURPOSE("purpose", Kind.PURPOSE, "用途", "通用专用", "仪器用途", "Purpose"),
    RATED_ANNUAL_HOURS("ratedAnnualHours", Kind.INTEGER, "额定机时", "年额定机时", "额定机时(小时)", "Rated annual hours",
            "Rated hours"),
    SHARING_SCOPE("sharingScope", Kind.SCOPE, "共享范围", "共享", "开放范围", "Sharing scope", "Visibility"),
    EXEMPTION_REASON("exemptionReason", Kind.EXEMPTION, "豁免原因", "不共享原因", "Exemption reason"),
    EXEMPTION_NOTE("exemptionNote", Kind.TEXT, "豁免说明", "Exemption note"),
    DESCRIPTION_ZH("descriptionZh", Kind.TEXT, "中文简介", "简介", "主要功能", "功能简介", "技术指标", "仪器简介",
            "Description (zh)"),
    DESCRIPTION_EN("descriptionEn", Kind.TEXT, "英文简介", "Description", "Description (en)"),
    FUND_SUBSIDISED("fundSubsidised", Kind.FLAG, "基金资助", "Fund-subsidised", "Fund subsidised"),
    BENEFIT_EVALUATION("benefitEvaluation", Kind.FLAG, "效益评价", "Benefit evaluation"),
    SHARED_PLATFORM("sharedPlatform", Kind.FLAG, "共享平台", "Shared platform"),
    LISTED_IN_CERS("listedInCers", Kind.FLAG, "进入CERS", "CERS", "Listed in CERS"),
    CUSTOMS_SUPERVISED("customsSupervised", Kind.FLAG, "海关监管", "Customs-supervised", "Customs supervised"),
    CONTACT_NAME("contactName", Kind.TEXT, "联系人", "负责人", "管理员", "Contact", "Contact name"),
    CONTACT_PHONE("contactPhone", Kind.TEXT, "联系电话", "电话", "Contact phone", "Contact telephone", "Phone"),
    CONTACT_EMAIL("contactEmail", Kind.TEXT, "联系邮箱", "邮箱", "电子邮件", "Contact email", "Email", "E-mail"),
    CONTACT2_NAME("contact2Name", Kind.TEXT, "第二联系人", "Secondary contact name"),
    CONTACT2_PHONE("contact2Phone", Kind.TEXT, "第二联系电话", "Secondary contact telephone", "Secondary contact phone"),
    CONTACT2_EMAIL("contact2Email", Kind.TEXT, "第二联系邮箱", "Secondary contact email");

    /** How a cell's text becomes a value. */
    public enum Kind { TEXT, INTEGER, DECIMAL, YUAN, WAN_YUAN, DATE, COUNTRY, CLASSIFICATION, ORG_UNIT, COORDINATES,
        STATUS, PURPOSE, SCOPE, EXEMPTION, FLAG }

    private static final Map<String, ImportField> BY_KEY = new LinkedHashMap<>();
    private static final Map<String, ImportField> BY_SYNONYM = new LinkedHashMap<>();

    static {
        for (ImportField f : values()) {
            BY_KEY.put(f.key, f);
        }
        for (ImportField f : values()) {
            BY_SYNONYM.putIfAbsent(normalise(f.key), f);
            for (String s : f.synonyms) {
                BY_SYNONYM.putIfAbsent(normalise(s), f);
            }
        }
    }

    private final String key;
    private final Kind kind;
    private final List<String> synonyms;

    ImportField(String key, Kind kind, String... synonyms) {
        this.key = key;
        this.kind = kind;
        this.synonyms = List.of(synonyms);
    }

    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    public List<String> synonyms() {
        return synonyms;
    }

    public static Optional<ImportField> byKey(String key) {
        return Optional.ofNullable(key == null ? null : BY_KEY.get(key));
    }

    /**
     * The field a header suggests: an exact match of the normalised header first ("原值（元）",
     * "原值(元)" and "原值 元" are the same); a header naming 万元 is a value in units of 10,000
     * yuan; then a header that starts with a known Chinese word ("仪器名称*" → name).
     */
    public static Optional<ImportField> suggest(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String h = normalise(header);
        if (h.contains("万元") && (h.contains("原值") || h.contains("金额") || h.contains("价") || h.contains("值"))) {
            return Optional.of(ORIGINAL_VALUE_WAN);
        }
        ImportField exact = BY_SYNONYM.get(h);
        if (exact != null) {
            return Optional.of(exact);
        }
        String bare = h.replaceAll("\\(.*\\)$", "");
        exact = BY_SYNONYM.get(bare);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (Map.Entry<String, ImportField> e : BY_SYNONYM.entrySet()) {
            String s = e.getKey();
            if (s.length() >= 3 && s.codePoints().anyMatch(c -> c > 0x2E80) && h.startsWith(s)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** Suggestions for a header row: each field at most once, the first column that names it wins. */
    public static Map<String, Integer> suggestAll(List<String> headers) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < headers.size(); i++) {
            int index = i;
            suggest(headers.get(i)).ifPresent(f -> out.putIfAbsent(f.key, index));
        }
        if (out.containsKey(BUILDING.key) && !out.containsKey(ROOM.key)) {
            // "存放地点" alone is the whole location; nothing to split
            return out;
        }
        return out;
    }

    /** Case, width, spaces, brackets and required-markers do not matter when headers are compared. */
    static String normalise(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (Character.isWhitespace(c) || c == '*' || c == '_' || c == '-' || c == '.' || c == ':' || c == '/'
                    || c == '\u3000' || c == '\uFEFF') {
                continue;
            }
            b.append(c);
        }
        return b.toString();
    }

    public static List<String> keys() {
        List<String> out = new ArrayList<>();
        for (ImportField f : values()) {
            out.add(f.key);
        }
        return out;
    }
}
