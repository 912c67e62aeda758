package org.labcommons.core.usage.credentials;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.UUID;

/**
 * People's cards and login names in the acting tenant ({@link PersonCredentials}): staff and institution admins list,
 * add, remove and import them (the campus card system's CSV); anyone else lists their own only.
 */
@Controller("/api/v1/usage/credentials")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class CredentialController {
    private final PersonCredentials credentials;

    public CredentialController(PersonCredentials credentials) {
        this.credentials = credentials;
    }

    @Operation(summary = "List cards and login names (staff: the tenant's; anyone else: their own)")
    @Get
    public PersonCredentials.Page list(AuthenticatedUser caller, @Nullable @QueryValue UUID userId,
                                       @Nullable @QueryValue @Pattern(regexp = "card|login") String kind,
                                       @Nullable @QueryValue String q,
                                       @QueryValue(defaultValue = "0") @Min(0) @Max(100000) int page,
                                       @QueryValue(defaultValue = "20") @Min(1) @Max(200) int size) {
        UUID only = credentials.mayManage(caller) ? userId : caller.userId();
        return credentials.list(caller.actingTenant(), only, kind, q, page, size);
    }

    @Operation(summary = "Add a card or login name to a person (409 credential_taken when another person holds it)")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<PersonCredentials.Credential> add(AuthenticatedUser caller, @Body PersonCredentials.Input input) {
        AuthenticatedUser user = credentials.requireManager(caller);
        PersonCredentials.Credential added = credentials.add(user.actingTenant(), actor(user), user.userId(), input);
        return HttpResponse.created(added, URI.create("/api/v1/usage/credentials/" + added.kind() + "/" + added.value()));
    }

    @Operation(summary = "Remove a card or login name")
    @Status(HttpStatus.NO_CONTENT)
    @Delete("/{kind}/{value}")
    public void remove(AuthenticatedUser caller, @PathVariable @Pattern(regexp = "card|login") String kind,
                       @PathVariable String value) {
        AuthenticatedUser user = credentials.requireManager(caller);
        credentials.remove(user.actingTenant(), actor(user), kind, value);
    }

    @Operation(summary = "Import the campus card system's CSV export (card number and e-mail, login or campus id); "
            + "a report per line")
    @Post(value = "/import", consumes = MediaType.MULTIPART_FORM_DATA)
    public PersonCredentials.ImportReport importCsv(AuthenticatedUser caller, CompletedFileUpload file) throws IOException {
        AuthenticatedUser user = credentials.requireManager(caller);
        byte[] bytes;
        try (InputStream in = file.getInputStream()) {
            bytes = in.readNBytes(PersonCredentials.MAX_IMPORT_BYTES + 1);
        }
        return credentials.importCsv(user.actingTenant(), actor(user), user.userId(), bytes);
    }

    static AuditEntry.Actor actor(AuthenticatedUser user) {
        return new AuditEntry.Actor(user.issuer(), user.subject(), user.actingTenant().toString());
    }
}
