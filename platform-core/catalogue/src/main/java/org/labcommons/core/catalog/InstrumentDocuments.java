package org.labcommons.core.catalog;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.multipart.CompletedFileUpload;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Manuals, SOPs and other documents of an instrument. Uploads are limited to
 * {@value #MAX_BYTES} bytes (the declared size is checked before anything is read, and the read
 * stops at the limit), to a short list of document types recognised by their first bytes (not by
 * the name the browser sends), and are served back as attachments so a browser never renders them
 * in our origin.
 */
@Singleton
public record InstrumentDocuments(TenantTransactions tenants,
                                  org.labcommons.core.audit.AuditLog audit,
                                  InstrumentRows rows) {
    public static final int MAX_BYTES = 10 * 1024 * 1024;
    public static final int MAX_PER_INSTRUMENT = 30;

    public record Content(String fileName, String contentType, byte[] bytes) {
    }

    public Instrument.DocumentInfo upload(TenantId tenant, AuditEntry.Actor actor, UUID instrument, String kind,
                                          CompletedFileUpload file) throws IOException {
        if (file.getSize() > MAX_BYTES) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = file.getInputStream()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            throw problem("file", "empty", "validation.file_empty");
        }
        String type = sniff(bytes, file.getFilename());
        String name = safeName(file.getFilename());
        String sha = sha256(bytes);
        return tenants.inTenant(tenant, c -> {
            if (rows.countDocuments(instrument) >= MAX_PER_INSTRUMENT) {
                throw problem("file", "too_many", "validation.too_many_documents");
            }
            UUID id = UUID.randomUUID();
            rows.addDocument(id, instrument, kind, name, type, bytes.length, sha, bytes);
            audit.append(c, actor.entry("instrument.document_added", "instrument", instrument.toString(),
                    Map.of("document", id.toString(), "fileName", name, "sizeBytes", bytes.length, "sha256", sha)));
            return rows.document(id).orElseThrow().toInfo();
        });
    }

    public Optional<Content> content(TenantId tenant, UUID instrument, UUID document) {
        return tenants.inTenant(tenant, c -> rows.documentContent(instrument, document)
                .map(d -> new Content(d.fileName(), d.contentType(), d.content())));
    }

    public void delete(TenantId tenant, AuditEntry.Actor actor, UUID instrument, UUID document) {
        tenants.inTenant(tenant, c -> {
            if (rows.deleteDocument(instrument, document) == 0) {
                throw ProblemException.notFound();
            }
            audit.append(c, actor.entry("instrument.document_removed", "instrument", instrument.toString(),
                    Map.of("document", document.toString())));
            return null;
        });
    }

    /** The download: always an attachment, never sniffed or rendered by the browser. */
    public static HttpResponse<byte[]> response(Content content) {
        return HttpResponse.ok(content.bytes())
                .contentType(MediaType.of(content.contentType()))
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename*=UTF-8''"
                        + URLEncoder.encode(content.fileName(), StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /** The document's type from its first bytes; anything else is refused. */
    static String sniff(byte[] b, String name) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (startsWith(b, "%PDF-")) {
            return "application/pdf";
        }
        if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return "image/jpeg";
        }
        if (startsWith(b, "PK\u0003\u0004")) {
            if (lower.endsWith(".docx")) {
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            }
            if (lower.endsWith(".xlsx")) {
                return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            }
            if (lower.endsWith(".pptx")) {
                return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
            }
        }
        if ((lower.endsWith(".txt") || lower.endsWith(".md")) && isText(b)) {
            return "text/plain; charset=utf-8";
        }
        throw problem("file", "unsupported_type", "validation.document_type");
    }

    private static boolean isText(byte[] b) {
        for (byte x : b) {
            if (x == 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (b[i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    static String safeName(String name) {
        String n = name == null ? "document" : name.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}\"]", "").strip();
        if (n.isEmpty()) {
            n = "document";
        }
        return n.length() > 255 ? n.substring(n.length() - 255) : n;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException tooLarge() {
        return new ProblemException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", List.of(
                new FieldProblem("file", "too_large", "validation.file_too_large", Map.of("max", MAX_BYTES / (1024 * 1024)))));
    }

    private static ProblemException problem(String field, String code, String key) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                new FieldProblem(field, code, key, Map.of())));
    }
}
