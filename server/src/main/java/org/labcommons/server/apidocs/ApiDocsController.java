package org.labcommons.server.apidocs;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The API's description, readable without a token ({@code BearerTokenFilter.isPublic}):
 * {@code GET /api/openapi.yml} (the {@link ApiDocument}) and {@code GET /api/docs}, a Swagger UI page
 * on that document, served from the {@code org.webjars:swagger-ui} webjar under {@code /webjars/}
 * (no CDN).
 */
@Controller("/api")
@Tag(name = "ApiDocs", description = "This document and its browsable page; no token needed.")
public class ApiDocsController {
    public static final String YAML = "application/yaml";
    private static final String WEBJAR_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

    private final ApiDocument document;
    private final String page;

    public ApiDocsController(ApiDocument document) {
        this.document = document;
        this.page = page("/webjars/swagger-ui/" + webjarVersion());
    }

    @Operation(summary = "This document (OpenAPI 3, YAML)")
    @ApiResponse(responseCode = "200", description = "The OpenAPI document",
            content = @Content(mediaType = YAML, schema = @Schema(type = "string")))
    @Get(uri = "/openapi.yml", produces = YAML)
    public HttpResponse<String> openapi() {
        return HttpResponse.ok(document.yaml()).contentType(YAML + ";charset=utf-8");
    }

    @Operation(summary = "A browsable page (Swagger UI) on this document")
    @ApiResponse(responseCode = "200", description = "HTML",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = "string")))
    @Get(uri = "/docs", produces = MediaType.TEXT_HTML)
    public String docs() {
        return page;
    }

    /** The webjar's version, from its Maven metadata: the path its files are served under. */
    static String webjarVersion() {
        try (InputStream in = ApiDocsController.class.getClassLoader().getResourceAsStream(WEBJAR_POM)) {
            if (in == null) {
                throw new IllegalStateException(WEBJAR_POM + " is missing: the swagger-ui webjar is not on the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String page(String ui) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>LabCommons API</title>
                  <link rel="stylesheet" href="%1$s/swagger-ui.css">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="%1$s/swagger-ui-bundle.js"></script>
                  <script>
                    window.ui = SwaggerUIBundle({
                      url: "%2$s",
                      dom_id: "#swagger-ui",
                      deepLinking: true,
                      persistAuthorization: false,
                      presets: [SwaggerUIBundle.presets.apis],
                      layout: "BaseLayout"
                    });
                  </script>
                </body>
                </html>
                """.formatted(ui, "/api/openapi.yml");
    }
}
