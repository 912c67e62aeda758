package org.labcommons.core.catalog

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject

import java.net.http.HttpRequest
import java.net.http.HttpResponse
import org.labcommons.core.org.TwoTenantFixture
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

/**
 * The base of the catalogue's API specifications: the platform ({@link PlatformSpec}) and the two
 * institutions of {@link TwoTenantFixture} ({@code iso-a} and {@code iso-b}, an admin each), made
 * once per specification. A specification arranges more of its shared data in {@link #arrangeOnce()},
 * which runs once, right after the fixture is made.
 */
abstract class TwoTenantSpec extends PlatformSpec {
    @Inject JsonMapper json
    @Shared TwoTenantFixture f

    /** More shared data of the specification, arranged once. */
    void arrangeOnce() {
    }

    /**
     * Uploads {@code bytes} as the file {@code name} to the import API ({@code multipart/form-data}),
     * as the holder of {@code token}; {@code partType} is the type the part declares (none when null).
     * Answers the status, the JSON body (empty when there is none), its text and the content type.
     */
    Map uploadImport(byte[] bytes, String name, String token = f.tokenA, String partType = 'application/octet-stream') {
        String boundary = 'lcb' + UUID.randomUUID().toString().replace('-', '')
        def out = new ByteArrayOutputStream()
        out << ("--${boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"${name}\"\r\n" +
                (partType == null ? '' : "Content-Type: ${partType}\r\n") + '\r\n').toString().getBytes('UTF-8')
        out << bytes
        out << "\r\n--${boundary}--\r\n".toString().bytes
        def r = f.http.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/api/v1/instrument-imports"))
                .header('Authorization', 'Bearer ' + token).header('Accept-Language', 'en')
                .header('Content-Type', "multipart/form-data; boundary=${boundary}".toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Map) : [:], text: r.body(),
         type: r.headers().firstValue('Content-Type').orElse('')]
    }

    def setup() {
        if (f == null) {
            f = new TwoTenantFixture(ctx)
            arrangeOnce()
        }
    }
}
