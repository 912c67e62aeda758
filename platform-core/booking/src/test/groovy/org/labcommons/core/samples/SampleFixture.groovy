package org.labcommons.core.samples

import org.labcommons.core.booking.BookingFixture

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/**
 * Sample-request helpers on top of {@link BookingFixture} (institution A owns the instruments;
 * {@code staff} manages them, {@code alice}/{@code bob} are members, {@code carol} an outside user
 * with a role in A, {@code adminB} institution B's admin).
 */
class SampleFixture {
    final BookingFixture f
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()

    SampleFixture(BookingFixture f) {
        this.f = f
    }

    static Map valid(Map overrides = [:]) {
        [sampleCount: 3, items: ['1H NMR', '13C NMR'], sampleInfo: 'white powder, 10 mg each, soluble in CDCl3',
         hazards: ['none'], accountCode: 'GRANT-42'] + overrides
    }

    Map submit(String who, UUID instrument, Map body = valid(), Map<String, String> headers = [:]) {
        f.send('POST', "/api/v1/instruments/${instrument}/sample-requests", who, body, headers)
    }

    Map step(String who, Object id, String action, Map body = null, Map<String, String> headers = [:]) {
        f.send('POST', "/api/v1/sample-requests/${id}/${action}", who, body, headers)
    }

    /**
     * The id of a request {@code who} sent for {@code instrument}, which the staff accepted, received
     * ({@code count} samples) and started: ready for result files.
     */
    String inProgress(String who, UUID instrument, int count = 1) {
        String id = submit(who, instrument).body.id
        step('staff', id, 'accept')
        step('staff', id, 'receive', [receivedCount: count])
        step('staff', id, 'start')
        id
    }

    Map get(String who, Object id) {
        f.send('GET', "/api/v1/sample-requests/${id}", who)
    }

    /** A multipart upload of one file (and optional note) as {@code who}. */
    Map upload(String who, Object id, String fileName, byte[] bytes, String contentType = 'application/pdf',
               Map<String, String> extra = [:]) {
        String boundary = 'b' + UUID.randomUUID().toString().replace('-', '')
        def out = new ByteArrayOutputStream()
        extra.each { k, v ->
            out.write("--${boundary}\r\nContent-Disposition: form-data; name=\"${k}\"\r\n\r\n${v}\r\n".toString().getBytes('UTF-8'))
        }
        out.write(("--${boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"${fileName}\"\r\n" +
                "Content-Type: ${contentType}\r\n\r\n").toString().getBytes('UTF-8'))
        out.write(bytes)
        out.write("\r\n--${boundary}--\r\n".toString().getBytes('UTF-8'))
        def b = HttpRequest.newBuilder(URI.create("${f.base}/api/v1/sample-requests/${id}/results")).timeout(Duration.ofSeconds(60))
                .header('Authorization', 'Bearer ' + f.tokens[who]).header('Accept-Language', 'en')
                .header('Content-Type', "multipart/form-data; boundary=${boundary}".toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()))
        if (who == 'carol') { b.header('X-LabCommons-Tenant', f.tenantA.toString()) }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? f.json.readValue(r.body(), Object) : [:]]
    }

    /** A download: status, headers and bytes. */
    Map download(String who, Object id, Object fileId) {
        def b = HttpRequest.newBuilder(URI.create("${f.base}/api/v1/sample-requests/${id}/results/${fileId}")).timeout(Duration.ofSeconds(60))
                .header('Authorization', 'Bearer ' + f.tokens[who]).GET()
        if (who == 'carol') { b.header('X-LabCommons-Tenant', f.tenantA.toString()) }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray())
        [status: r.statusCode(), bytes: r.body(), disposition: r.headers().firstValue('Content-Disposition').orElse(null),
         type: r.headers().firstValue('Content-Type').orElse(null),
         nosniff: r.headers().firstValue('X-Content-Type-Options').orElse(null)]
    }

    /** A service of the instrument (plain SQL). */
    UUID service(UUID instrument, String zh = '氢谱', String en = '1H NMR') {
        UUID id = UUID.randomUUID()
        f.tenants.inTenant(f.tenantA) { c ->
            c.prepareStatement("insert into instrument_service (tenant_id, id, instrument_id, name_zh, name_en, sample_requirements) " +
                    "values (?, ?, ?, ?, ?, '5–10 mg')").with {
                setObject(1, f.tenantA.value()); setObject(2, id); setObject(3, instrument); setString(4, zh); setString(5, en); executeUpdate()
            }
        }
        id
    }
}
