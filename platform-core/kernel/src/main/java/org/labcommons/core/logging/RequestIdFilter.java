package org.labcommons.core.logging;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

import org.labcommons.core.web.ClientAddresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it is a sane token, otherwise
 * a new one), puts it in the logging context of every thread that works on the request, and
 * returns it in the response header. The client's address as {@link ClientAddresses} resolves it
 * (never a forwarding header an untrusted peer sent) joins the context as {@value #CLIENT_MDC_KEY}.
 * The tenant id joins the context where a transaction is bound to a tenant
 * ({@code TenantTransactions}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestIdFilter {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    public static final String CLIENT_MDC_KEY = "clientAddress";
    private static final String ATTRIBUTE = "labcommons.requestId";
    /** One line per request (method, path, status), carrying the request id and client address from the logging context. */
    private static final Logger ACCESS = LoggerFactory.getLogger("labcommons.access");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

    private final ClientAddresses clients;

    public RequestIdFilter(ClientAddresses clients) {
        this.clients = clients;
    }

    @RequestFilter
    public void onRequest(HttpRequest<?> request, MutablePropagatedContext context) {
        String incoming = request.getHeaders().get(HEADER);
        String id = incoming != null && SAFE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        Map<String, String> mdc = new HashMap<>();
        mdc.put(MDC_KEY, id);
        mdc.put(CLIENT_MDC_KEY, clients.of(request).text());
        context.add(new MdcPropagationContext(mdc));
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(ATTRIBUTE, String.class).ifPresent(id -> response.header(HEADER, id));
        ACCESS.info("{} {} {}", request.getMethodName(), request.getPath(), response.code());
    }
}
