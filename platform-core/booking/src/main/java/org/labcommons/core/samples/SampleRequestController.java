package org.labcommons.core.samples;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Part;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.catalog.InstrumentDocuments;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.IfMatch;
import org.labcommons.core.web.IfMatchBinder;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The sample-request API (docs/samples.md), in the caller's acting tenant (an outside user acts in
 * the instrument's tenant with {@code X-LabCommons-Tenant}, as for bookings). Who may do what:
 * {@link SampleAccess}. Every change takes an optional {@code If-Match: "<version>"} header (or a
 * {@code version} member); a stale one is 409 {@code version_conflict}. A step from the wrong state
 * is 409 {@code wrong_state} naming the current state.
 */
@Controller("/api/v1")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SampleRequestController {
    private final SampleAccess access;
    private final SampleRequests requests;
    private final SampleSettings settings;

    public SampleRequestController(SampleAccess access, SampleRequests requests, SampleSettings settings) {
        this.access = access;
        this.requests = requests;
        this.settings = settings;
    }

    @Operation(summary = "Submit a sample request for an instrument")
    @Status(HttpStatus.CREATED)
    @Post("/instruments/{id}/sample-requests")
    public HttpResponse<SampleRequest> submit(AuthenticatedUser user, @PathVariable UUID id,
                                              @Body SampleInputs.NewRequest input) {
        BookingAccess.Target t = access.submittable(user, id);
        SampleRequest r = requests.submit(user.actingTenant(), SampleAccess.actor(user, t.staff()), id, input);
        return HttpResponse.created(r, URI.create("/api/v1/sample-requests/" + r.id()));
    }

    /**
     * {@code role=mine} (default): the caller's own requests in the acting tenant; {@code role=staff}:
     * the requests of the instruments the caller manages (403 when none). {@code status}: one or more
     * statuses, comma-separated; {@code instrument}: one instrument; {@code page} (0-based), {@code size}.
     */
    @Operation(summary = "List sample requests (the caller's own, or the ones to handle as staff)")
    @Get("/sample-requests")
    public SampleRequests.Page<SampleRequest> list(AuthenticatedUser user, @Nullable @QueryValue String role,
                                                   @Nullable @QueryValue String status,
                                                   @Nullable @QueryValue String instrument,
                                                   @Nullable @QueryValue String page, @Nullable @QueryValue String size) {
        return list(access, requests, settings, user, role, status, instrument, page, size);
    }

    /** The list both the API and the pages use; bad parameters are field problems. */
    static SampleRequests.Page<SampleRequest> list(SampleAccess access, SampleRequests requests, SampleSettings settings,
                                                   AuthenticatedUser user, @Nullable String role, @Nullable String status,
                                                   @Nullable String instrument, @Nullable String page,
                                                   @Nullable String size) {
        List<FieldProblem> problems = new ArrayList<>();
        String r = role == null || role.isBlank() ? "mine" : role;
        if (!r.equals("mine") && !r.equals("staff")) {
            problems.add(SampleRequests.problem("role", "pattern", "validation.sample.role", Map.of()));
        }
        List<String> statuses = new ArrayList<>();
        if (status != null && !status.isBlank()) {
            for (String s : status.split(",")) {
                if (!s.isBlank()) {
                    if (SampleRequest.STATUSES.contains(s.strip())) {
                        statuses.add(s.strip());
                    } else {
                        problems.add(SampleRequests.problem("status", "unknown", "validation.sample.status",
                                Map.of("allowed", String.join(", ", SampleRequest.STATUSES))));
                        break;
                    }
                }
            }
        }
        UUID instrumentId = null;
        if (instrument != null && !instrument.isBlank()) {
            try {
                instrumentId = UUID.fromString(instrument.strip());
            } catch (IllegalArgumentException e) {
                problems.add(SampleRequests.problem("instrument", "invalid", "validation.sample.uuid", Map.of()));
            }
        }
        int p = number(page, 0, "page", 0, 100_000, problems);
        int n = number(size, settings.getPageSize(), "size", 1, settings.getMaxPageSize(), problems);
        if (!problems.isEmpty()) {
            throw SampleRequests.invalid(problems);
        }
        if (r.equals("mine")) {
            return requests.list(user.actingTenant(), new SampleRequests.Filter(user.userId(), false, Set.of(), Set.of(),
                    statuses, instrumentId), p, n);
        }
        SampleAccess.Managed m = access.managed(user);
        if (!m.any()) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return requests.list(user.actingTenant(), new SampleRequests.Filter(null, m.all(), m.instruments(), m.units(),
                statuses, instrumentId), p, n);
    }

    private static int number(@Nullable String value, int fallback, String field, int min, int max,
                              List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(value.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(SampleRequests.problem(field, "range", "validation.sample.count", Map.of("min", min, "max", max)));
        return fallback;
    }

    @Operation(summary = "Read one sample request")
    @Get("/sample-requests/{id}")
    public SampleRequest get(AuthenticatedUser user, @PathVariable UUID id) {
        return access.seen(user, id).request();
    }

    @Operation(summary = "Accept a sample request")
    @Post("/sample-requests/{id}/accept")
    public SampleRequest accept(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body SampleInputs.Step in,
                                @Nullable @IfMatch Long version) {
        access.staff(user, id);
        return requests.accept(user.actingTenant(), SampleAccess.actor(user, true), id, version(version, in), note(in));
    }

    @Operation(summary = "Reject a sample request")
    @Post("/sample-requests/{id}/reject")
    public SampleRequest reject(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body SampleInputs.Step in,
                                @Nullable @IfMatch Long version) {
        access.staff(user, id);
        return requests.reject(user.actingTenant(), SampleAccess.actor(user, true), id, version(version, in), note(in));
    }

    @Operation(summary = "Record that the samples arrived")
    @Post("/sample-requests/{id}/receive")
    public SampleRequest receive(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body SampleInputs.Receipt in,
                                 @Nullable @IfMatch Long version) {
        access.staff(user, id);
        return requests.receive(user.actingTenant(), SampleAccess.actor(user, true), id,
                version != null ? version : in == null ? null : in.version(), in == null ? null : in.receivedCount(),
                in == null ? null : in.note());
    }

    @Operation(summary = "Start the analysis of a sample request")
    @Post("/sample-requests/{id}/start")
    public SampleRequest start(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body SampleInputs.Step in,
                               @Nullable @IfMatch Long version) {
        access.staff(user, id);
        return requests.start(user.actingTenant(), SampleAccess.actor(user, true), id, version(version, in), note(in));
    }

    /** One result or report file (multipart part {@code file}, optional {@code note} and {@code version}). */
    @Operation(summary = "Add a result or report file to a sample request")
    @Status(HttpStatus.CREATED)
    @Post(value = "/sample-requests/{id}/results", consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<SampleRequest> results(AuthenticatedUser user, @PathVariable UUID id,
                                               @Nullable @Part("file") CompletedFileUpload file,
                                               @Nullable @Part("note") String note,
                                               @Nullable @Part("version") String versionPart,
                                               @Nullable @IfMatch Long version) throws IOException {
        access.staff(user, id);
        Long v = version != null ? version : IfMatchBinder.version(versionPart);
        List<SampleRequests.Upload> uploads = file == null ? List.of() : List.of(read(file, settings.getMaxFileBytes()));
        return HttpResponse.created(requests.addResults(user.actingTenant(), SampleAccess.actor(user, true), id, v,
                uploads, note));
    }

    /** The upload's bytes: refused (413) by its declared size before reading, and while reading. */
    static SampleRequests.Upload read(CompletedFileUpload file, long max) throws IOException {
        if (file.getSize() > max) {
            throw SampleRequests.tooLarge(max);
        }
        byte[] bytes;
        try (InputStream in = file.getInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
        if (bytes.length > max) {
            throw SampleRequests.tooLarge(max);
        }
        return new SampleRequests.Upload(file.getFilename(), bytes); // the declared Content-Type is not used
    }

    @Operation(summary = "Close a sample request")
    @Post("/sample-requests/{id}/close")
    public SampleRequest close(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body SampleInputs.Step in,
                               @Nullable @IfMatch Long version) {
        access.staff(user, id);
        return requests.close(user.actingTenant(), SampleAccess.actor(user, true), id, version(version, in), note(in));
    }

    @Operation(summary = "Withdraw a sample request")
    @Post("/sample-requests/{id}/withdraw")
    public SampleRequest withdraw(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body SampleInputs.Step in,
                                  @Nullable @IfMatch Long version) {
        SampleAccess.Seen seen = access.requester(user, id);
        return requests.withdraw(user.actingTenant(), SampleAccess.actor(user, seen.staff()), id, version(version, in),
                note(in));
    }

    @Operation(summary = "Cancel a sample request")
    @Post("/sample-requests/{id}/cancel")
    public SampleRequest cancel(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body SampleInputs.Step in,
                                @Nullable @IfMatch Long version) {
        access.staff(user, id);
        return requests.cancel(user.actingTenant(), SampleAccess.actor(user, true), id, version(version, in), note(in));
    }

    /**
     * A result file: its requester and the instrument's staff only; always an attachment with
     * {@code nosniff}, typed by its bytes (HTML, SVG, XML and script as {@code application/octet-stream}).
     */
    @Operation(summary = "Download a result file of a sample request")
    @Get("/sample-requests/{id}/results/{fileId}")
    public HttpResponse<byte[]> download(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID fileId) {
        access.seen(user, id);
        SampleRequests.Content c = requests.file(user.actingTenant(), id, fileId).orElseThrow(ProblemException::notFound);
        return InstrumentDocuments.response(new InstrumentDocuments.Content(c.fileName(), c.contentType(), c.bytes()));
    }

    private static Long version(@Nullable Long ifMatch, @Nullable SampleInputs.Step in) {
        return ifMatch != null ? ifMatch : in == null ? null : in.version();
    }

    private static String note(@Nullable SampleInputs.Step in) {
        return in == null ? null : in.note();
    }
}
