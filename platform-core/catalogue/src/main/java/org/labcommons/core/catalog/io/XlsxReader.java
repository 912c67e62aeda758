package org.labcommons.core.catalog.io;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The first worksheet of an .xlsx, streamed. Before POI opens the file, every zip entry is
 * inflated once into nothing while counting: more than {@link ImportLimits#getMaxInflatedBytes()}
 * in all, or an entry that inflates more than 1/{@code minInflateRatio}-fold, is a zip bomb; an
 * XML part that declares a DOCTYPE (the door to external entities) is refused outright. POI's own
 * zip-bomb limits are set as well, and its SAX parser refuses DOCTYPEs too (defence in depth).
 * The sheet is then read with a SAX handler of our own: cached values only (a formula's text is
 * never looked at), shared strings from the read-only table, numbers in a date format as ISO
 * dates.
 */
final class XlsxReader {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(XlsxReader.class);
    private static final int MAX_ENTRIES = 1000;
    /** Entries smaller than this are never called bombs, whatever their ratio (an empty sheet compresses well). */
    private static final long RATIO_FLOOR_BYTES = 1024 * 1024;

    private XlsxReader() {
    }

    static void read(byte[] bytes, ImportLimits limits, Spreadsheets.RowHandler handler) {
        inspectZip(bytes, limits);
        synchronized (XlsxReader.class) {
            ZipSecureFile.setMinInflateRatio(limits.getMinInflateRatio());
            ZipSecureFile.setMaxEntrySize(limits.getMaxInflatedBytes());
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("labcommons-import-", ".xlsx");
            Files.write(tmp, bytes);
            try (OPCPackage pkg = OPCPackage.open(tmp.toFile(), PackageAccess.READ)) {
                XSSFReader reader = new XSSFReader(pkg);
                ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
                StylesTable styles = reader.getStylesTable();
                boolean date1904 = date1904(reader);
                XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
                if (!sheets.hasNext()) {
                    throw new SpreadsheetException("no_sheet");
                }
                try (InputStream sheet = sheets.next()) {
                    XMLReader parser = XMLHelper.newXMLReader();
                    parser.setContentHandler(new SheetHandler(strings, styles, date1904, limits, handler));
                    parser.parse(new InputSource(sheet));
                } catch (Stop stop) {
                    // the handler asked for no more rows
                }
            }
        } catch (SpreadsheetException e) {
            throw e;
        } catch (SAXException e) {
            if (e.getCause() instanceof SpreadsheetException se) {
                throw se;
            }
            if (e instanceof Stop) {
                return;
            }
            LOG.info("unreadable .xlsx sheet: {}", e.toString());
            throw new SpreadsheetException("unreadable");
        } catch (IOException e) {
            LOG.info("unreadable .xlsx: {}", e.toString());
            if (String.valueOf(e.getMessage()).contains("Zip bomb")) {
                throw new SpreadsheetException("zip_bomb");
            }
            throw new SpreadsheetException("unreadable");
        } catch (Exception e) {
            Throwable t = e;
            while (t != null) {
                if (t instanceof SpreadsheetException se) {
                    throw se;
                }
                if (String.valueOf(t.getMessage()).contains("Zip bomb")) {
                    throw new SpreadsheetException("zip_bomb");
                }
                t = t.getCause();
            }
            LOG.info("unreadable .xlsx: {}", e.toString(), e);
            throw new SpreadsheetException("unreadable");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temp file left behind is removed by the OS
                }
            }
        }
    }

    /** Inflates every entry into nothing, counting; refuses bombs and DOCTYPEs before POI sees them. */
    static void inspectZip(byte[] bytes, ImportLimits limits) {
        long total = 0;
        int entries = 0;
        byte[] buffer = new byte[16 * 1024];
        // commons-compress reads what Excel, LibreOffice and POI's own streaming writer produce
        // (stored entries with data descriptors, which java.util.zip refuses)
        try (ZipArchiveInputStream zip = new ZipArchiveInputStream(new ByteArrayInputStream(bytes), "UTF-8", false, true)) {
            ZipArchiveEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw new SpreadsheetException("zip_bomb");
                }
                String name = entry.getName();
                if (name.contains("..") || name.startsWith("/")) {
                    throw new SpreadsheetException("unreadable");
                }
                boolean xml = name.endsWith(".xml") || name.endsWith(".rels");
                long inflated = 0;
                byte[] head = new byte[4096];
                int headLength = 0;
                int n;
                while ((n = zip.read(buffer)) > 0) {
                    if (xml && headLength < head.length) {
                        int k = Math.min(n, head.length - headLength);
                        System.arraycopy(buffer, 0, head, headLength, k);
                        headLength += k;
                    }
                    inflated += n;
                    total += n;
                    if (total > limits.getMaxInflatedBytes()) {
                        throw new SpreadsheetException("zip_bomb");
                    }
                    long compressed = Math.max(1, zip.getCompressedCount());
                    if (inflated > RATIO_FLOOR_BYTES && (double) compressed / inflated < limits.getMinInflateRatio()) {
                        throw new SpreadsheetException("zip_bomb");
                    }
                }
                if (xml && declaresDoctype(head, headLength)) {
                    throw new SpreadsheetException("xml_doctype");
                }
            }
        } catch (IOException e) {
            LOG.info("unreadable zip: {}", e.toString());
            throw new SpreadsheetException("unreadable");
        }
        if (entries == 0) {
            throw new SpreadsheetException("unreadable");
        }
    }

    private static boolean declaresDoctype(byte[] head, int length) {
        String text = new String(head, 0, length, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        String utf16 = new String(head, 0, length, StandardCharsets.UTF_16LE).toUpperCase(Locale.ROOT);
        String utf16be = new String(head, 0, length, StandardCharsets.UTF_16BE).toUpperCase(Locale.ROOT);
        return text.contains("<!DOCTYPE") || text.contains("<!ENTITY") || utf16.contains("<!DOCTYPE")
                || utf16be.contains("<!DOCTYPE");
    }

    private static boolean date1904(XSSFReader reader) {
        try (InputStream workbook = reader.getWorkbookData()) {
            byte[] head = workbook.readNBytes(64 * 1024);
            String text = new String(head, StandardCharsets.UTF_8);
            return text.contains("date1904=\"1\"") || text.contains("date1904=\"true\"");
        } catch (Exception e) {
            return false;
        }
    }

    /** Thrown through the SAX parser to stop early. */
    private static final class Stop extends SAXException {
        Stop() {
            super("stop");
        }
    }

    /** Cells as text; cached values only. */
    private static final class SheetHandler extends DefaultHandler {
        private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        private final ReadOnlySharedStringsTable strings;
        private final StylesTable styles;
        private final boolean date1904;
        private final ImportLimits limits;
        private final Spreadsheets.RowHandler handler;
        private final StringBuilder text = new StringBuilder();
        private List<String> cells;
        private int rowNumber;
        private int dataRows;
        private boolean headerSeen;
        private int column;
        private String type;
        private int style;
        private boolean collect;
        private boolean inInline;
        private String value;

        SheetHandler(ReadOnlySharedStringsTable strings, StylesTable styles, boolean date1904, ImportLimits limits,
                     Spreadsheets.RowHandler handler) {
            this.strings = strings;
            this.styles = styles;
            this.date1904 = date1904;
            this.limits = limits;
            this.handler = handler;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) {
            String name = localName == null || localName.isEmpty() ? qName : localName;
            switch (name) {
                case "row" -> {
                    String r = atts.getValue("r");
                    rowNumber = r == null ? rowNumber + 1 : Integer.parseInt(r);
                    cells = new ArrayList<>();
                    column = -1;
                }
                case "c" -> {
                    String ref = atts.getValue("r");
                    column = ref == null ? column + 1 : columnIndex(ref);
                    if (column >= limits.getMaxColumns()) {
                        throw new SpreadsheetException("too_many_columns", Map.of("row", rowNumber,
                                "max", limits.getMaxColumns()));
                    }
                    type = atts.getValue("t");
                    String s = atts.getValue("s");
                    style = s == null ? -1 : Integer.parseInt(s);
                    value = null;
                    inInline = false;
                }
                case "v" -> {
                    collect = true;
                    text.setLength(0);
                }
                case "is" -> {
                    inInline = true;
                    text.setLength(0);
                }
                case "t" -> {
                    if (inInline) {
                        collect = true;
                    }
                }
                default -> { }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (collect) {
                if (text.length() + length > limits.getMaxCellChars()) {
                    throw new SpreadsheetException("cell_too_long", Map.of("row", rowNumber,
                            "max", limits.getMaxCellChars()));
                }
                text.append(ch, start, length);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            String name = localName == null || localName.isEmpty() ? qName : localName;
            switch (name) {
                case "v" -> {
                    collect = false;
                    value = text.toString();
                }
                case "t" -> collect = false;
                case "is" -> {
                    inInline = false;
                    value = text.toString();
                }
                case "c" -> {
                    String cell = cellText();
                    if (cell.length() > limits.getMaxCellChars()) {
                        throw new SpreadsheetException("cell_too_long", Map.of("row", rowNumber,
                                "max", limits.getMaxCellChars()));
                    }
                    while (cells.size() < column) {
                        cells.add("");
                    }
                    cells.add(cell);
                }
                case "row" -> {
                    if (!CsvReader.blank(cells)) {
                        if (headerSeen && ++dataRows > limits.getMaxRows()) {
                            throw new SpreadsheetException("too_many_rows", Map.of("max", limits.getMaxRows()));
                        }
                        headerSeen = true;
                        if (!handler.row(rowNumber, cells)) {
                            throw new Stop();
                        }
                    }
                    cells = null;
                }
                default -> { }
            }
        }

        private String cellText() {
            if (value == null) {
                return "";
            }
            if (type == null || "n".equals(type)) {
                return number(value);
            }
            return switch (type) {
                case "s" -> {
                    try {
                        yield strings.getItemAt(Integer.parseInt(value.strip())).getString();
                    } catch (RuntimeException e) {
                        yield "";
                    }
                }
                case "b" -> "1".equals(value) ? "TRUE" : "FALSE";
                default -> value;   // str (a formula's cached text), inlineStr, e (an error such as #N/A), d (ISO date)
            };
        }

        private String number(String raw) {
            BigDecimal n;
            try {
                n = new BigDecimal(raw.strip());
            } catch (NumberFormatException e) {
                return raw;
            }
            if (style >= 0 && style < styles.getNumCellStyles()) {
                XSSFCellStyle cs = styles.getStyleAt(style);
                if (cs != null && DateUtil.isADateFormat(cs.getDataFormat(), cs.getDataFormatString())) {
                    double d = n.doubleValue();
                    if (DateUtil.isValidExcelDate(d)) {
                        LocalDateTime t = DateUtil.getLocalDateTime(d, date1904);
                        if (t != null) {
                            return t.toLocalTime().toSecondOfDay() == 0 ? t.toLocalDate().toString()
                                    : t.format(DATE_TIME);
                        }
                    }
                }
            }
            String plain = n.stripTrailingZeros().toPlainString();
            return plain.length() > 40 ? raw : plain;
        }

        static int columnIndex(String ref) {
            int col = 0;
            for (int i = 0; i < ref.length(); i++) {
                char c = ref.charAt(i);
                if (c >= 'A' && c <= 'Z') {
                    col = col * 26 + (c - 'A' + 1);
                    if (col > 20_000) {
                        break;
                    }
                } else {
                    break;
                }
            }
            return col - 1;
        }
    }

}
