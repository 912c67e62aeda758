package org.labcommons.search;

import java.util.Map;

/** Names of China's provincial-level divisions by their administrative code (GB/T 2260), for the province facet. */
final class Provinces {
    private static final Map<String, String[]> NAMES = Map.ofEntries(
            Map.entry("110000", new String[]{"北京市", "Beijing"}), Map.entry("120000", new String[]{"天津市", "Tianjin"}),
            Map.entry("130000", new String[]{"河北省", "Hebei"}), Map.entry("140000", new String[]{"山西省", "Shanxi"}),
            Map.entry("150000", new String[]{"内蒙古自治区", "Inner Mongolia"}), Map.entry("210000", new String[]{"辽宁省", "Liaoning"}),
            Map.entry("220000", new String[]{"吉林省", "Jilin"}), Map.entry("230000", new String[]{"黑龙江省", "Heilongjiang"}),
            Map.entry("310000", new String[]{"上海市", "Shanghai"}), Map.entry("320000", new String[]{"江苏省", "Jiangsu"}),
            Map.entry("330000", new String[]{"浙江省", "Zhejiang"}), Map.entry("340000", new String[]{"安徽省", "Anhui"}),
            Map.entry("350000", new String[]{"福建省", "Fujian"}), Map.entry("360000", new String[]{"江西省", "Jiangxi"}),
            Map.entry("370000", new String[]{"山东省", "Shandong"}), Map.entry("410000", new String[]{"河南省", "Henan"}),
            Map.entry("420000", new String[]{"湖北省", "Hubei"}), Map.entry("430000", new String[]{"湖南省", "Hunan"}),
            Map.entry("440000", new String[]{"广东省", "Guangdong"}), Map.entry("450000", new String[]{"广西壮族自治区", "Guangxi"}),
            Map.entry("460000", new String[]{"海南省", "Hainan"}), Map.entry("500000", new String[]{"重庆市", "Chongqing"}),
            Map.entry("510000", new String[]{"四川省", "Sichuan"}), Map.entry("520000", new String[]{"贵州省", "Guizhou"}),
            Map.entry("530000", new String[]{"云南省", "Yunnan"}), Map.entry("540000", new String[]{"西藏自治区", "Tibet"}),
            Map.entry("610000", new String[]{"陕西省", "Shaanxi"}), Map.entry("620000", new String[]{"甘肃省", "Gansu"}),
            Map.entry("630000", new String[]{"青海省", "Qinghai"}), Map.entry("640000", new String[]{"宁夏回族自治区", "Ningxia"}),
            Map.entry("650000", new String[]{"新疆维吾尔自治区", "Xinjiang"}), Map.entry("710000", new String[]{"台湾省", "Taiwan"}),
            Map.entry("810000", new String[]{"香港特别行政区", "Hong Kong"}), Map.entry("820000", new String[]{"澳门特别行政区", "Macao"}));

    private Provinces() {
    }

    static String name(String code, boolean zh) {
        String[] n = NAMES.get(code);
        return n == null ? code : n[zh ? 0 : 1];
    }
}
