package org.labcommons.core.samples;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * The type of a result file, from its bytes and never from what the uploading client declared
 * (docs/samples.md, "Result files"). Apache Tika's magic detection reads the bytes; the file name
 * may only refine what the bytes show (a ZIP named {@code .xlsx} is a workbook, text named
 * {@code .csv} is CSV), never override it: bytes of an HTML page named {@code report.png} are
 * HTML. A type a browser would run script in (HTML, XHTML, SVG and any other XML, JavaScript) is
 * served as {@code application/octet-stream}; every download is an attachment with
 * {@code X-Content-Type-Options: nosniff}.
 */
final class ResultFileTypes {
    static final String OCTET_STREAM = "application/octet-stream";
    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();
    private static final MediaTypeRegistry REGISTRY = TYPES.getMediaTypeRegistry();
    /** Types whose content a browser executes or renders as a document of our origin, and their subtypes. */
    private static final Set<MediaType> ACTIVE = Set.of(MediaType.TEXT_HTML, MediaType.application("xhtml+xml"),
            MediaType.image("svg+xml"), MediaType.APPLICATION_XML, MediaType.text("xml"),
            MediaType.text("javascript"), MediaType.application("javascript"), MediaType.application("x-javascript"),
            MediaType.text("ecmascript"), MediaType.application("ecmascript"), MediaType.application("x-shockwave-flash"));

    private ResultFileTypes() {
    }

    /** The type the bytes show (the name only refines it), without parameters: what is stored with the file. */
    static String detect(byte[] bytes, String fileName) {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
        try {
            MediaType type = TYPES.detect(new ByteArrayInputStream(bytes), metadata);
            return type.getBaseType().toString();
        } catch (IOException e) { // a byte array never fails to read
            throw new UncheckedIOException(e);
        }
    }

    /** The type a download is served with: the detected one, or octet-stream for anything a browser would run. */
    static String served(String detected) {
        MediaType type = MediaType.parse(detected);
        if (type == null) {
            return OCTET_STREAM;
        }
        MediaType base = REGISTRY.normalize(type.getBaseType());
        if (base.getSubtype().endsWith("+xml") || ACTIVE.contains(base)
                || ACTIVE.stream().anyMatch(a -> REGISTRY.isSpecializationOf(base, a))) {
            return OCTET_STREAM;
        }
        return base.toString();
    }

    /** The type a stored file is served with, detected again from its bytes (rows kept before detection included). */
    static String servedFor(byte[] bytes, String fileName) {
        return served(detect(bytes, fileName));
    }
}
