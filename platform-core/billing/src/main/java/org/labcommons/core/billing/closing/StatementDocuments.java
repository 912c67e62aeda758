package org.labcommons.core.billing.closing;

import org.labcommons.core.web.Xlsx;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.labcommons.core.billing.ledger.Entry;
import org.labcommons.core.problem.ProblemException;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A payer's statement of a closed month as PDF (Apache PDFBox, a CJK font embedded as a subset) and as xlsx, from
 * the statement stored at the close and the month's ledger entries (a closed month never changes, so the same
 * statement renders to the same bytes: no creation date, the document id derived from the content's checksum).
 * Amounts are printed as yuan with two decimals (exact). Times of entries are shown in the tenant's zone.
 */
@Singleton
public class StatementDocuments {
    static final String PDF_TYPE = "application/pdf";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final float MARGIN = 48;
    private static final float SIZE = 9;
    private static final float LEADING = 14;
    private final ClosingSettings settings;

    public StatementDocuments(ClosingSettings settings) {
        this.settings = settings;
    }

    /** What a statement document shows. */
    record Content(String period, CloseRows.Statement header, List<Entry> entries, ZoneId zone) {
    }

    /**
     * The statement of one charge of an account that settles singly (billing.single): the month statement's layout,
     * {@code label} where the month stands, an opening balance of 0 and the charge's entries on the account
     * (debits positive, credits negative), closing with what the account owes for the charge. PDF or xlsx.
     */
    public byte[] single(String label, String payerCode, String payerKind, String nameZh, String nameEn,
                         @io.micronaut.core.annotation.Nullable String financeCode,
                         @io.micronaut.core.annotation.Nullable String grantCode, List<Entry> entries, ZoneId zone, boolean asPdf) {
        long debits = entries.stream().mapToLong(Entry::amountFen).filter(a -> a > 0).sum();
        long credits = entries.stream().mapToLong(Entry::amountFen).filter(a -> a < 0).sum();
        CloseRows.Statement header = new CloseRows.Statement(payerCode, payerKind, nameZh, nameEn, financeCode, grantCode,
                0, debits, credits, debits + credits, entries.size());
        Content content = new Content(label, header, entries, zone);
        return asPdf ? pdf(content) : xlsx(content);
    }

    /** The first font file of {@code labcommons.billing.closing.pdf-fonts} that exists; 500 {@code pdf_font_missing} otherwise. */
    File font() {
        for (String path : settings.pdfFonts()) {
            File f = new File(path.trim());
            if (!path.isBlank() && f.isFile() && f.canRead()) {
                return f;
            }
        }
        throw new ProblemException(HttpStatus.INTERNAL_SERVER_ERROR, "pdf_font_missing", String.join(", ", settings.pdfFonts()));
    }

    byte[] pdf(Content content) {
        File fontFile = font();
        try (PDDocument doc = new PDDocument()) {
            PDType0Font font;
            TrueTypeCollection collection = null;
            try {
                TrueTypeFont ttf;
                if (fontFile.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".ttc")) {
                    collection = new TrueTypeCollection(fontFile);
                    TrueTypeFont[] first = new TrueTypeFont[1];
                    collection.processAllFonts(f -> {
                        if (first[0] == null) {
                            first[0] = f;
                        }
                    });
                    ttf = first[0];
                } else {
                    ttf = new TTFParser().parse(new RandomAccessReadBufferedFile(fontFile));
                }
                font = PDType0Font.load(doc, ttf, true);
                PDDocumentInformation info = new PDDocumentInformation();
                info.setTitle("对账单 Statement " + content.period() + " " + content.header().payerCode());
                info.setProducer("LabCommons");
                doc.setDocumentInformation(info);
                new Writer(doc, font).statement(content);
                // the document id (trailer /ID) from the content, so that the same statement is the same file
                ByteArrayOutputStream first = new ByteArrayOutputStream();
                byte[] seed = FinanceFiles.sha256((content.period() + content.header() + content.entries())
                        .getBytes(StandardCharsets.UTF_8)).substring(0, 32).getBytes(StandardCharsets.US_ASCII);
                COSArray id = new COSArray();
                id.add(new COSString(seed));
                id.add(new COSString(seed));
                doc.getDocument().getTrailer().setItem(COSName.ID, id);
                doc.save(first);
                return first.toByteArray();
            } finally {
                if (collection != null) {
                    collection.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] xlsx(Content content) {
        CloseRows.Statement h = content.header();
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("对账单 Statement", content.period()));
        rows.add(Arrays.asList("付款方 Payer", h.nameZh(), h.nameEn()));
        rows.add(Arrays.asList("账户 Account", h.payerCode(), h.financeCode(), h.grantCode()));
        rows.add(List.of("期初余额 Opening balance (fen)", h.openingFen(), FinanceFiles.yuan(h.openingFen())));
        rows.add(List.of("时间 Time", "类别 Kind", "来源 Source", "摘要 Memo", "金额（分） Amount (fen)", "金额（元） Amount (yuan)"));
        for (Entry e : content.entries()) {
            rows.add(Arrays.asList(WHEN.format(e.postedAt().atZone(content.zone())), e.kind(), source(e),
                    e.memo() == null ? "" : e.memo(), e.amountFen(), FinanceFiles.yuan(e.amountFen())));
        }
        rows.add(List.of("本月借方 Debits (fen)", h.debitsFen(), FinanceFiles.yuan(h.debitsFen())));
        rows.add(List.of("本月贷方 Credits (fen)", h.creditsFen(), FinanceFiles.yuan(h.creditsFen())));
        rows.add(List.of("期末余额 Closing balance (fen)", h.closingFen(), FinanceFiles.yuan(h.closingFen())));
        return Xlsx.write("statement", rows);
    }

    static String source(Entry e) {
        if (e.sourceType() == null) {
            return "";
        }
        return e.sourceId() == null ? e.sourceType() : e.sourceType() + ":" + e.sourceId();
    }

    /** Lays the statement out on A4 pages, a new page when one is full. */
    private static final class Writer {
        private final PDDocument doc;
        private final PDType0Font font;
        private PDPageContentStream out;
        private float y;

        Writer(PDDocument doc, PDType0Font font) {
            this.doc = doc;
            this.font = font;
        }

        void statement(Content c) throws IOException {
            CloseRows.Statement h = c.header();
            page();
            text(MARGIN, 15, "对账单 Statement  " + c.period());
            y -= 8;
            line("付款方 Payer: " + h.nameZh() + " / " + h.nameEn());
            line("账户 Account: " + h.payerCode());
            if (h.financeCode() != null || h.grantCode() != null) {
                line("财务编号 Finance code: " + nz(h.financeCode()) + "    经费编号 Grant code: " + nz(h.grantCode()));
            }
            line("期初余额 Opening balance: " + FinanceFiles.yuan(h.openingFen()));
            y -= 6;
            row("时间 Time", "类别 Kind", "来源 Source", "摘要 Memo", "金额 Amount (yuan)");
            for (Entry e : c.entries()) {
                row(WHEN.format(e.postedAt().atZone(c.zone())), e.kind(), source(e), e.memo() == null ? "" : e.memo(),
                        FinanceFiles.yuan(e.amountFen()));
            }
            y -= 6;
            line("本月借方 Debits: " + FinanceFiles.yuan(h.debitsFen()) + "    本月贷方 Credits: " + FinanceFiles.yuan(h.creditsFen()));
            line("期末余额 Closing balance: " + FinanceFiles.yuan(h.closingFen()));
            out.close();
        }

        private void page() throws IOException {
            if (out != null) {
                out.close();
            }
            PDPage p = new PDPage(PDRectangle.A4);
            doc.addPage(p);
            out = new PDPageContentStream(doc, p);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        private void line(String s) throws IOException {
            text(MARGIN, SIZE + 1, s);
        }

        private void row(String when, String kind, String source, String memo, String amount) throws IOException {
            if (y < MARGIN + LEADING) {
                page();
            }
            float[] x = {MARGIN, MARGIN + 82, MARGIN + 150, MARGIN + 290};
            put(x[0], fit(when, 80));
            put(x[1], fit(kind, 66));
            put(x[2], fit(source, 136));
            put(x[3], fit(memo, 150));
            String a = fit(amount, 60);
            put(PDRectangle.A4.getWidth() - MARGIN - font.getStringWidth(a) / 1000 * SIZE, a);
            y -= LEADING;
        }

        private void text(float x, float size, String s) throws IOException {
            if (y < MARGIN + LEADING) {
                page();
            }
            out.beginText();
            out.setFont(font, size);
            out.newLineAtOffset(x, y);
            out.showText(fit(s, PDRectangle.A4.getWidth() - 2 * MARGIN, size));
            out.endText();
            y -= size + 6;
        }

        private void put(float x, String s) throws IOException {
            out.beginText();
            out.setFont(font, SIZE);
            out.newLineAtOffset(x, y);
            out.showText(s);
            out.endText();
        }

        private String fit(String s, float width) throws IOException {
            return fit(s, width, SIZE);
        }

        /** {@code s} cut to {@code width} points (ending in "…" when cut); characters the font lacks become "?". */
        private String fit(String s, float width, float size) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int cp : s.codePoints().toArray()) {
                String ch = new String(Character.toChars(cp));
                b.append(cp >= 0x20 && printable(ch) ? ch : "?");
            }
            String t = b.toString();
            if (font.getStringWidth(t) / 1000 * size <= width) {
                return t;
            }
            while (!t.isEmpty() && font.getStringWidth(t + "…") / 1000 * size > width) {
                t = t.substring(0, t.length() - 1);
            }
            return t + "…";
        }

        private boolean printable(String ch) {
            try {
                font.encode(ch);
                return true;
            } catch (IllegalArgumentException | IOException e) {
                return false;
            }
        }

        private static String nz(String s) {
            return s == null ? "-" : s;
        }
    }
}
