package org.labcommons.core.catalog.io;

import org.mozilla.universalchardet.UniversalDetector;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The text encoding of an uploaded CSV. Detection, in this order:
 * <ol>
 *   <li>a byte-order mark wins (UTF-8, UTF-16LE, UTF-16BE);</li>
 *   <li>bytes that decode strictly as UTF-8 are UTF-8 (plain ASCII included);</li>
 *   <li>otherwise juniversalchardet (a maintained port of Mozilla's detector) names the encoding:
 *       GB18030 (and its subsets GB2312/GBK), Big5, or a Western single-byte encoding;</li>
 *   <li>a Western answer is windows-1252 unless the bytes read better as Mac Roman (below);</li>
 *   <li>when the detector has no answer or names an encoding we do not offer (short Chinese files
 *       are sometimes taken for KOI8-R), bytes that are well-formed GB18030 are GB18030 (what
 *       Chinese Excel saves), anything else windows-1252.</li>
 * </ol>
 * The user can override the choice with any of {@link #SUPPORTED}; the upload is then read again.
 */
final class TextEncodings {
    static final Charset GB18030 = Charset.forName("GB18030");
    static final Charset BIG5 = Charset.forName("Big5");
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    static final Charset MAC_ROMAN = Charset.forName("x-MacRoman");

    /** The encodings a user may choose, by their Java names (also the names shown and stored). */
    static final List<String> SUPPORTED = List.of("UTF-8", "UTF-16LE", "UTF-16BE", "GB18030", "Big5",
            "windows-1252", "x-MacRoman");

    /** A charset and the length of the byte-order mark in front of the text (0 when none). */
    record Choice(Charset charset, int bomLength) {
        /** As stored with the upload and shown in the mapping step: "UTF-8", "UTF-8 (BOM)", "x-MacRoman"... */
        String label() {
            return charset.name() + (bomLength > 0 ? " (BOM)" : "");
        }
    }

    private TextEncodings() {
    }

    /** The supported charset that {@code name} names ("UTF-8 (BOM)" names UTF-8), if any. */
    static Optional<Charset> supported(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.replace(" (BOM)", "").strip();
        for (String s : SUPPORTED) {
            if (s.equalsIgnoreCase(n)) {
                return Optional.of(Charset.forName(s));
            }
        }
        return Optional.empty();
    }

    /** The bytes read as {@code charset}; a byte-order mark of that charset is skipped. */
    static Choice forced(byte[] bytes, Charset charset) {
        int bom = bomOf(bytes);
        boolean matches = (bom == 3 && charset.equals(StandardCharsets.UTF_8))
                || (bom == 2 && Spreadsheets.startsWith(bytes, 0xFF, 0xFE) && charset.equals(StandardCharsets.UTF_16LE))
                || (bom == 2 && Spreadsheets.startsWith(bytes, 0xFE, 0xFF) && charset.equals(StandardCharsets.UTF_16BE));
        return new Choice(charset, matches ? bom : 0);
    }

    private static int bomOf(byte[] bytes) {
        if (Spreadsheets.startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            return 3;
        }
        return Spreadsheets.startsWith(bytes, 0xFF, 0xFE) || Spreadsheets.startsWith(bytes, 0xFE, 0xFF) ? 2 : 0;
    }

    static Choice detect(byte[] bytes) {
        if (Spreadsheets.startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            return new Choice(StandardCharsets.UTF_8, 3);
        }
        if (Spreadsheets.startsWith(bytes, 0xFF, 0xFE)) {
            return new Choice(StandardCharsets.UTF_16LE, 2);
        }
        if (Spreadsheets.startsWith(bytes, 0xFE, 0xFF)) {
            return new Choice(StandardCharsets.UTF_16BE, 2);
        }
        if (CsvReader.isStrictUtf8(bytes)) {
            return new Choice(StandardCharsets.UTF_8, 0);
        }
        UniversalDetector detector = new UniversalDetector();
        detector.handleData(bytes, 0, bytes.length);
        detector.dataEnd();
        String named = detector.getDetectedCharset();
        String n = named == null ? "" : named.toUpperCase(Locale.ROOT);
        Charset charset = switch (n) {
            case "GB18030", "GB2312", "GBK", "HZ-GB-2312", "ISO-2022-CN" -> GB18030;
            case "BIG5", "EUC-TW" -> BIG5;
            case "WINDOWS-1252", "ISO-8859-1", "ISO-8859-15", "US-ASCII" -> western(bytes);
            case "UTF-16LE" -> StandardCharsets.UTF_16LE;
            case "UTF-16BE" -> StandardCharsets.UTF_16BE;
            default -> wellFormed(bytes, GB18030) ? GB18030 : western(bytes);
        };
        return new Choice(charset, 0);
    }

    /**
     * windows-1252 or Mac Roman. Detectors (juniversalchardet included) have no Mac Roman model and
     * answer windows-1252 for both, since the two share ASCII and differ only in 0x80-0xFF. A real
     * register is mostly ASCII with a few such bytes in names and addresses ("Müller", "O’Brien",
     * a no-break space), so each byte at or above 0x80 is read both ways and scores a point for the
     * encoding in which it is a character that Western registers contain (accented Latin letters,
     * typographic quotes and dashes, the no-break space, £ and €). In windows-1252 the bytes
     * 0x81, 0x8D, 0x8F, 0x90 and 0x9D are undefined and Š, Ž, Ÿ, ƒ, ˆ, ‰, † and the like are rare,
     * while in Mac Roman 0x80-0x9F are the common accented letters (Mac "ü" is 0x9F, windows-1252
     * "Ÿ"); conversely windows-1252 "ü" (0xFC) is a cedilla accent in Mac Roman. Mac Roman is chosen
     * only when it scores strictly more: on a tie windows-1252, by far the more common, stays.
     */
    static Charset western(byte[] bytes) {
        int windows = 0;
        int mac = 0;
        for (byte b : bytes) {
            if ((b & 0x80) != 0) {
                windows += WINDOWS_COMMON[b & 0x7F] ? 1 : 0;
                mac += MAC_COMMON[b & 0x7F] ? 1 : 0;
            }
        }
        return mac > windows ? MAC_ROMAN : WINDOWS_1252;
    }

    /** Characters a Western register is made of beyond ASCII. */
    private static final String COMMON = "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿß"
            + "\u2018\u2019\u201C\u201D\u2013\u2014\u2026\u00A0\u00A3\u20AC\u00B0";
    /** Per byte 0x80-0xFF: whether it decodes to one of {@link #COMMON} in windows-1252, in Mac Roman. */
    private static final boolean[] WINDOWS_COMMON = table(WINDOWS_1252);
    private static final boolean[] MAC_COMMON = table(MAC_ROMAN);

    private static boolean[] table(Charset charset) {
        boolean[] out = new boolean[128];
        for (int i = 0; i < 128; i++) {
            String d = decode(new byte[]{(byte) (0x80 + i)}, charset);
            out[i] = d.length() == 1 && COMMON.indexOf(d.charAt(0)) >= 0;
        }
        return out;
    }

    private static String decode(byte[] b, Charset charset) {
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return "";   // undefined in this encoding (0x81 in windows-1252, for one)
        }
    }

    private static boolean wellFormed(byte[] b, Charset charset) {
        try {
            charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
