package org.labcommons.iot.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.labcommons.core.problem.ProblemException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The access decision for MQTT brokers ({@link DeviceAccess}), over HTTP: the embedded broker of dev
 * mode and tests, the HiveMQ CE extension ({@code org.labcommons.iot.broker}) and a clustered broker
 * such as EMQX 5 (HTTP authentication and authorization; {@code docs/iot-broker.md}) call it. Every call
 * carries {@code Authorization: Bearer <labcommons.iot.access.broker-token>}; without it, or with
 * another, the answer is 401 (and with no token configured every call is). A refusal of a device is
 * an answer ({@code 200 {"result":"deny"}}), not an error, as EMQX expects.
 *
 * <p>Served by every role (no {@code RequiresRole}): a broker may be pointed at whichever Service is
 * nearest; the chart points it at the iot role.
 */
@Controller("/api/iot/broker")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "IoT broker", description = "The access decision for MQTT brokers (broker token, not a user's token).")
@SecurityRequirement(name = BrokerAccessController.SECURITY_SCHEME)
public class BrokerAccessController {
    /** The name of the broker token's security scheme in the API document. */
    public static final String SECURITY_SCHEME = "brokerToken";
    static final String ALLOW = "allow";
    static final String DENY = "deny";

    private final DeviceAccess access;
    private final AccessSettings settings;

    public BrokerAccessController(DeviceAccess access, AccessSettings settings) {
        this.access = access;
        this.settings = settings;
    }

    /** A CONNECT to decide on (EMQX body template: {@code {"clientId":"${clientid}","username":"${username}","password":"${password}"}}). */
    @Serdeable
    public record AuthRequest(@Nullable String clientId, @Nullable String username, @Nullable String password) {
    }

    /** One publish or subscribe to decide on (EMQX: {@code {"username":"${username}","topic":"${topic}","action":"${action}"}}). */
    @Serdeable
    public record AclRequest(@Nullable String clientId, @Nullable String username, @Nullable String topic,
                             @Nullable String action) {
    }

    /** An EMQX 5 ACL rule (authentication response, {@code acl}). */
    @Serdeable
    public record AclRule(String permission, String action, String topic) {
    }

    /**
     * The decision: {@code result} allow or deny (EMQX's field); when allowed the grant ({@code publish},
     * {@code subscribe} topic filters) and the same as EMQX 5.5+ ACL rules ending in a deny-all.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Decision(String result,
                           @JsonProperty("is_superuser") @Nullable Boolean superuser,
                           @Nullable String principal, @Nullable UUID tenantId, @Nullable UUID deviceId,
                           @Nullable List<String> publish, @Nullable List<String> subscribe,
                           @Nullable List<AclRule> acl) {
        static Decision deny() {
            return new Decision(DENY, null, null, null, null, null, null, null);
        }

        static Decision allow(BrokerGrant grant) {
            List<AclRule> rules = new ArrayList<>();
            grant.publish().forEach(f -> rules.add(new AclRule(ALLOW, "publish", f)));
            grant.subscribe().forEach(f -> rules.add(new AclRule(ALLOW, "subscribe", f)));
            rules.add(new AclRule(DENY, "all", "#"));
            return new Decision(ALLOW, false, grant.principal(), grant.tenantId(), grant.deviceId(),
                    grant.publish(), grant.subscribe(), rules);
        }
    }

    /** The answer to an ACL question: {@code result} allow or deny. */
    @Serdeable
    public record AclDecision(String result) {
    }

    /** Devices to disconnect: revoked or rotated at or after {@code since}, as of {@code asOf} (the next {@code since}). */
    @Serdeable
    public record Revocations(Instant asOf, List<String> clients) {
    }

    @Operation(summary = "Decide on an MQTT CONNECT: a device's or the bridge's grant, or deny")
    @Post("/auth")
    public Decision authenticate(HttpRequest<?> request, @Body AuthRequest body) {
        requireBroker(request);
        return access.authenticate(body.clientId(), body.username(), body.password())
                .map(Decision::allow)
                .orElseGet(Decision::deny);
    }

    @Operation(summary = "Decide on one MQTT publish or subscribe of an authenticated session")
    @Post("/acl")
    public AclDecision authorize(HttpRequest<?> request, @Body AclRequest body) {
        requireBroker(request);
        Optional<BrokerAction> action = BrokerAction.parse(body.action());
        boolean allowed = action.isPresent() && access.allowed(body.username(), body.topic(), action.get());
        return new AclDecision(allowed ? ALLOW : DENY);
    }

    @Operation(summary = "Devices revoked or rotated since an instant, whose sessions the broker ends")
    @Get("/revocations")
    public Revocations revocations(HttpRequest<?> request, @QueryValue Instant since) {
        requireBroker(request);
        Instant asOf = Instant.now();
        return new Revocations(asOf, access.revokedSince(since).stream().map(UUID::toString).toList());
    }

    private void requireBroker(HttpRequest<?> request) {
        String expected = settings.getBrokerToken();
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        boolean ok = expected != null && !expected.isEmpty() && header != null
                && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                        header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_token");
        }
    }
}
