package org.labcommons.core.billing.closing;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.util.List;

/**
 * {@code labcommons.billing.closing.*} (defaults in the kernel's application.yml):
 * <ul>
 *   <li>{@code pdf-fonts}: where to look for a font with Chinese glyphs for the statements' PDF (the first file that
 *       exists is used; of a {@code .ttc} collection its first font); none found is 500 {@code pdf_font_missing};</li>
 *   <li>{@code known-accounts}: the account code prefixes the finance system knows (entries of the month on any other
 *       account block the close, {@code unknown_account}).</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.billing.closing")
public class ClosingSettings {
    private List<String> pdfFonts = List.of("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "/System/Library/Fonts/PingFang.ttc", "C:/Windows/Fonts/msyh.ttc");
    private List<String> knownAccounts = List.of("1002.", "1122.", "2202.", "2203.", "2241.", "6001.", "6601.");

    public List<String> pdfFonts() { return pdfFonts; }
    public List<String> knownAccounts() { return knownAccounts; }
    public List<String> getPdfFonts() { return pdfFonts; }
    public void setPdfFonts(List<String> pdfFonts) { this.pdfFonts = List.copyOf(pdfFonts); }
    public List<String> getKnownAccounts() { return knownAccounts; }
    public void setKnownAccounts(List<String> knownAccounts) { this.knownAccounts = List.copyOf(knownAccounts); }
}
