package org.labcommons.core.health;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.CallerResolver;
import org.labcommons.core.security.InvalidTokenException;
import org.labcommons.core.security.Scope;
import org.labcommons.core.security.TokenValidator;
import org.labcommons.core.web.AddressRange;
import org.labcommons.core.web.ClientAddress;
import org.labcommons.core.web.ClientAddresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * Who may read the health details ({@code /health}) and the metrics ({@code /prometheus}):
 * <ul>
 *   <li>everyone, when {@code labcommons.operations.open} is on (dev mode);</li>
 *   <li>a client in the management network ({@code labcommons.operations.networks}, loopback by
 *       default), its address as {@link ClientAddresses} resolves it, so a forwarding header from an
 *       untrusted peer cannot claim it. A request that carries a forwarding header from a peer that
 *       is no trusted proxy never counts as the management network: it came through a proxy nobody
 *       configured, whose own address (perhaps inside the network) says nothing about the client;</li>
 *   <li>the consortium operator: a valid bearer token of a user acting in the consortium tenant
 *       with a role that may {@link Action#OPERATE_PLATFORM} there (the consortium admin).</li>
 * </ul>
 */
@Singleton
public class OperationsAccess {
    /** What a request may see. */
    public enum Verdict {
        /** Health details and metrics. */
        ALLOWED,
        /** No token, outside the management network. */
        ANONYMOUS,
        /** A token that is not valid (or not a bearer token). */
        INVALID_TOKEN,
        /** A valid token of someone who is not the consortium operator. */
        NOT_OPERATOR
    }

    private static final Logger LOG = LoggerFactory.getLogger(OperationsAccess.class);

    private final List<AddressRange> networks;
    private final boolean open;
    private final ClientAddresses clients;
    private final TokenValidator tokens;
    private final CallerResolver callers;
    private final TenantDirectory directory;
    private final AccessPolicy policy;

    public OperationsAccess(OperationsSettings settings, ClientAddresses clients, TokenValidator tokens,
                            CallerResolver callers, TenantDirectory directory, AccessPolicy policy) {
        this.networks = AddressRange.parseAll("labcommons.operations.networks", settings.getNetworks());
        this.open = settings.isOpen();
        this.clients = clients;
        this.tokens = tokens;
        this.callers = callers;
        this.directory = directory;
        this.policy = policy;
    }

    /** What {@code request} may see; may validate a token (blocking). */
    public Verdict judge(HttpRequest<?> request) {
        ClientAddress client = clients.of(request);
        if (open || (client.address() != null && AddressRange.anyContains(networks, client.address())
                && !clients.forwardedByUntrustedPeer(request))) {
            return Verdict.ALLOWED;
        }
        List<String> authorization = request.getHeaders().getAll(HttpHeaders.AUTHORIZATION);
        if (authorization.isEmpty()) {
            return Verdict.ANONYMOUS;
        }
        String value = authorization.size() == 1 ? authorization.get(0) : "";
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Verdict.INVALID_TOKEN;
        }
        TokenValidator.ValidatedToken token;
        try {
            token = tokens.validate(value.substring(7).strip());
        } catch (InvalidTokenException e) {
            LOG.debug("operations request with a refused token from {}: {}", client, e.getMessage());
            return Verdict.INVALID_TOKEN;
        }
        if (token.tenantSuspended()) {
            return Verdict.NOT_OPERATOR;
        }
        Optional<AuthenticatedUser> caller = callers.resolve(CallerResolver.VerifiedPrincipal.of(token), null).caller();
        return caller.filter(this::isOperator).isPresent() ? Verdict.ALLOWED : Verdict.NOT_OPERATOR;
    }

    private boolean isOperator(AuthenticatedUser user) {
        boolean consortium = directory.activeProfile(user.actingTenant().toString())
                .map(t -> "consortium".equals(t.kind())).orElse(false);
        return consortium && policy.allows(user.roles(), Action.OPERATE_PLATFORM, Scope.tenant(user.actingTenant()));
    }
}
