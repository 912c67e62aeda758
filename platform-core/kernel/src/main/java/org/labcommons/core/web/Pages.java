package org.labcommons.core.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.views.thymeleaf.ThymeleafViewsRenderer;
import io.micronaut.web.router.Router;
import jakarta.inject.Singleton;
import org.labcommons.core.i18n.Messages;
import org.labcommons.core.problem.Problem;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.auth.WebSession;
import org.labcommons.core.web.maps.MapTiles;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model every page starts from, holding what the layout ({@code views/fragments/layout.html})
 * needs. A page controller does {@code Map<String, Object> model = pages.model(request);}, adds its
 * own entries and returns it with {@code @View}. Keys:
 * <ul>
 *   <li>{@code t}: all messages of the page's language; {@code lang}: its tag ({@code zh-CN}/{@code en});
 *       {@code zh}: true for Chinese; {@code locale}: the {@link Locale};</li>
 *   <li>{@code caller}: the {@link AuthenticatedUser} or absent; {@code session}: the {@link WebSession}
 *       or absent; {@code csrf}: the session's CSRF token (for forms: {@code <input type="hidden" name="_csrf">},
 *       for htmx it is sent from the {@code csrf-token} meta tag); {@code refused}: true when the session's
 *       institution is suspended;</li>
 *   <li>{@code nav}: the navigation links this caller may use ({@link Item}); {@code path}: the current path;
 *       {@code langSwitch}: the current path and query in the other language ({@code otherLang}); {@code loginHref}: sign-in
 *       that returns here;</li>
 *   <li>{@code here}: the current address ({@link PageUrl}: {@code here.with('page', 2)} for pagers, sort links);</li>
 *   <li>{@code mapTiles}: the deployment's map tile source ({@link MapTiles.View}, {@code labcommons.maps.*}) for a map
 *       element's {@code data-tile-*} attributes (see {@code fragments/layout.html}).</li>
 * </ul>
 * The language is {@code ?lang=}, then the {@code LC_LANG} cookie (set whenever {@code ?lang=} is
 * used), then Accept-Language, then zh-CN ({@link UiLocale}).
 */
@Singleton
public class Pages {
    /** A navigation entry as the layout renders it. */
    public record Item(String label, String href, boolean active, @Nullable String badge) {
        public Item(String label, String href, boolean active) {
            this(label, href, active, null);
        }
    }

    private final Messages messages;
    private final WebCaller web;
    private final MapTiles maps;
    private final Router router;
    private final List<NavContributor> contributors;
    private final ThymeleafViewsRenderer<Map<String, Object>> views;
    private final Problems problems;
    private final Map<String, Boolean> routeExists = new ConcurrentHashMap<>();

    public Pages(Messages messages, WebCaller web, MapTiles maps, Router router, List<NavContributor> contributors,
                 ThymeleafViewsRenderer<Map<String, Object>> views, Problems problems) {
        this.views = views;
        this.problems = problems;
        this.messages = messages;
        this.web = web;
        this.maps = maps;
        this.router = router;
        this.contributors = contributors;
    }

    /** The layout's model for this request, in the language {@link UiLocale} picks. */
    public Map<String, Object> model(HttpRequest<?> request) {
        return model(request, request.getParameters().get("lang"));
    }

    /** The layout's model in an explicitly requested language (a {@code @QueryValue lang}). */
    public Map<String, Object> model(HttpRequest<?> request, @Nullable String lang) {
        Locale locale = UiLocale.resolve(request, lang);
        Map<String, String> t = messages.all(locale);
        Map<String, Object> model = new HashMap<>();
        model.put("t", t);
        model.put("locale", locale);
        model.put("lang", locale.toLanguageTag());
        model.put("zh", Messages.ZH_CN.equals(locale));
        web.session(request).ifPresent(s -> {
            model.put("session", s);
            model.put("csrf", s.csrfToken());
        });
        web.caller(request).ifPresent(c -> model.put("caller", c));
        model.put("refused", web.refused(request));
        model.put("path", request.getPath());
        model.put("nav", nav(request, t));
        String otherLang = Messages.ZH_CN.equals(locale) ? "en" : "zh-CN";
        model.put("otherLang", otherLang);
        PageUrl here = PageUrl.of(request);
        model.put("here", here);
        model.put("langSwitch", here.with("lang", otherLang));
        model.put("loginHref", WebCaller.loginPath(WebCaller.returnPath(request)));
        model.put("mapTiles", maps.view());
        return model;
    }

    /**
     * A rendered page with any status, for answers a {@code @View} cannot give (a 403 or 422 page,
     * an htmx fragment with its status). The view is rendered completely before anything is sent,
     * so a template error is a clean 500, never a half-sent page.
     */
    public MutableHttpResponse<String> respond(HttpRequest<?> request, HttpStatus status, String view,
                                               Map<String, Object> model) {
        StringWriter out = new StringWriter();
        try {
            views.render(view, model, request).writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpResponse.<String>status(status).contentType(MediaType.TEXT_HTML_TYPE.toString() + ";charset=utf-8")
                .body(out.toString());
    }

    private List<Item> nav(HttpRequest<?> request, Map<String, String> t) {
        AuthenticatedUser caller = web.caller(request).orElse(null);
        Map<NavLink, NavContributor> links = new HashMap<>();
        contributors.forEach(c -> c.navLinks(caller).forEach(l -> links.putIfAbsent(l, c)));
        List<NavLink> sorted = new ArrayList<>(links.keySet());
        sorted.sort(Comparator.comparingInt(NavLink::order).thenComparing(NavLink::path));
        String path = request.getPath();
        List<NavLink> shown = new ArrayList<>();
        for (NavLink link : sorted) {
            if (hasPage(link.path()) && (link.action() == null || web.allowsSomewhere(request, link.action()))) {
                shown.add(link);
            }
        }
        String active = activePath(path, shown.stream().map(NavLink::path).toList());
        List<Item> items = new ArrayList<>();
        for (NavLink link : shown) {
            items.add(new Item(t.getOrDefault(link.messageKey(), link.messageKey()), link.path(),
                    link.path().equals(active), links.get(link).badge(request, caller, link)));
        }
        return items;
    }

    /**
     * The one navigation path that marks the current page: the longest link path that is the
     * current path or a prefix of it at a {@code /} boundary ({@code /admin/instruments/import/1}
     * marks "Import", not also "Instruments"); {@code /} matches only itself. Null when none does.
     */
    static @Nullable String activePath(String path, List<String> linkPaths) {
        String best = null;
        for (String link : linkPaths) {
            boolean matches = path.equals(link)
                    || (!"/".equals(link) && path.startsWith(link.endsWith("/") ? link : link + "/"));
            if (matches && (best == null || link.length() > best.length())) {
                best = link;
            }
        }
        return best;
    }

    /**
     * Whether this process serves a page at {@code path} (a GET route): a link to a page of another
     * role (the search page, in a process without the search role) is shown only when it would work.
     */
    public boolean hasPage(String path) {
        return routeExists.computeIfAbsent(path, p -> router.route(HttpMethod.GET, p).isPresent());
    }

    /** The current path and query with {@code lang} set to {@code lang} (other parameters kept as they are). */
    static String withLang(HttpRequest<?> request, String lang) {
        return PageUrl.of(request).with("lang", lang);
    }

    /**
     * Puts a service's {@link ProblemException} into a form page's model, localized: {@code problem}
     * (the {@link Problem}: title, detail) and {@code errors} (field name to message, first message
     * per field), for {@code fragments/layout :: problem} and {@code fragments/layout :: fieldError('name')}.
     * Typical use: catch the exception around the service call and
     * {@code return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, view, pages.withProblem(request, model, e))}.
     */
    public Map<String, Object> withProblem(HttpRequest<?> request, Map<String, Object> model, ProblemException e) {
        Locale locale = (Locale) model.getOrDefault("locale", UiLocale.resolve(request, null));
        List<Problem.FieldError> fieldErrors = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (ProblemException.FieldProblem fp : e.fieldProblems()) {
            Problem.FieldError error = problems.fieldError(locale, fp.field(), fp.code(), fp.messageKey(), fp.args());
            fieldErrors.add(error);
            errors.putIfAbsent(error.field(), error.message());
        }
        model.put("problem", problems.problem(locale, e.status(), e.code(), e.args(), request.getPath(), fieldErrors));
        model.put("errors", errors);
        return model;
    }
}
