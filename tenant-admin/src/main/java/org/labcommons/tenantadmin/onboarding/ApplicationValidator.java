package org.labcommons.tenantadmin.onboarding;

import org.labcommons.core.problem.ProblemException.FieldProblem;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one validation of what an institution states about itself, shared by the public form, a
 * network's invitation, the completion of an invitation and every row of a bulk upload (so a
 * spreadsheet row is accepted exactly when the same values typed into the form would be). It
 * checks shape only; what needs the database (a slug already taken) is checked by the callers.
 */
public final class ApplicationValidator {
    public static final String DEFAULT_TIME_ZONE = "Asia/Shanghai";
    public static final String DEFAULT_LANGUAGE = "zh-CN";
    public static final int MAX_ADMINS = 5;
    static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    static final Pattern REGION = Pattern.compile("[0-9]{6}");
    static final Pattern EMAIL = Pattern.compile("[^\\s@<>\"(),;:]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+");
    static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7E]{1,200}");
    static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
    /** Slugs that would read as a platform address or role. */
    static final Set<String> RESERVED = Set.of("api", "admin", "www", "static", "webjars", "login", "logout", "dev",
            "health", "prometheus", "onboarding", "public", "labcommons", "root", "system");

    private ApplicationValidator() {
    }

    /** How much must be present. */
    public enum Mode {
        /** A complete application: form, completed invitation, bulk row. */
        COMPLETE,
        /** A network inviting an institution: names and a contact; the institution completes the rest. */
        INVITATION
    }

    /** The input with blanks removed, values trimmed and defaults applied, and what is wrong with it. */
    public record Result(ApplicationInput value, List<FieldProblem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /**
     * {@link #validate(ApplicationInput, Mode)} and, for the issuer, {@link IssuerRules} (the
     * consortium's issuer, loopback hosts outside dev mode): what every caller that files or
     * approves an application uses.
     */
    public static Result validate(ApplicationInput in, Mode mode, IssuerRules rules) {
        Result shape = validate(in, mode);
        List<FieldProblem> issuer = rules.problems("issuerUrl", shape.value().issuerUrl());
        if (issuer.isEmpty()) {
            return shape;
        }
        List<FieldProblem> problems = new ArrayList<>(shape.problems());
        problems.addAll(issuer);
        return new Result(shape.value(), List.copyOf(problems));
    }

    /** The shape of every field (no configuration: the issuer's {@link IssuerRules} are not applied). */
    public static Result validate(ApplicationInput in, Mode mode) {
        List<FieldProblem> problems = new ArrayList<>();
        boolean complete = mode == Mode.COMPLETE;
        String slug = clean(in.slug());
        if (slug != null) {
            slug = slug.toLowerCase(Locale.ROOT);
        }
        if (required(problems, "slug", slug, complete)) {
            if (!SLUG.matcher(slug).matches()) {
                problems.add(problem("slug", "pattern", "validation.onboarding.slug"));
            } else if (RESERVED.contains(slug)) {
                problems.add(problem("slug", "reserved", "validation.onboarding.slug_reserved"));
            }
        }
        String nameZh = clean(in.nameZh());
        if (required(problems, "nameZh", nameZh, true)) {
            length(problems, "nameZh", nameZh, 200);
        }
        String nameEn = clean(in.nameEn());
        if (required(problems, "nameEn", nameEn, true)) {
            length(problems, "nameEn", nameEn, 200);
        }
        String region = clean(in.regionCode());
        if (required(problems, "regionCode", region, complete) && !REGION.matcher(region).matches()) {
            problems.add(problem("regionCode", "pattern", "validation.onboarding.region_code"));
        }
        String zone = clean(in.timeZone());
        if (zone == null) {
            zone = DEFAULT_TIME_ZONE;
        } else if (zone.length() > 64 || !ZoneId.getAvailableZoneIds().contains(zone)) {
            problems.add(problem("timeZone", "unknown", "validation.onboarding.time_zone"));
        }
        String contactName = clean(in.contactName());
        if (required(problems, "contactName", contactName, true)) {
            length(problems, "contactName", contactName, 100);
        }
        String contactEmail = clean(in.contactEmail());
        if (required(problems, "contactEmail", contactEmail, true)) {
            email(problems, "contactEmail", contactEmail);
        }
        String language = clean(in.language());
        if (language == null) {
            language = DEFAULT_LANGUAGE;
        } else if (language.equalsIgnoreCase("zh-CN") || language.equalsIgnoreCase("zh")) {
            language = "zh-CN";
        } else if (language.equalsIgnoreCase("en")) {
            language = "en";
        } else {
            problems.add(problem("language", "unknown", "validation.onboarding.language"));
        }
        String issuer = clean(in.issuerUrl());
        if (required(problems, "issuerUrl", issuer, complete) && !issuerUrl(issuer)) {
            problems.add(problem("issuerUrl", "invalid", "validation.onboarding.issuer_url"));
        }
        String clientId = clean(in.clientId());
        if (required(problems, "clientId", clientId, complete) && !CLIENT_ID.matcher(clientId).matches()) {
            problems.add(problem("clientId", "pattern", "validation.pattern"));
        }
        String nameClaim = claim(problems, "nameClaim", in.nameClaim(), "name");
        String emailClaim = claim(problems, "emailClaim", in.emailClaim(), "email");
        List<String> admins = new ArrayList<>();
        if (in.adminEmails() != null) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < in.adminEmails().size(); i++) {
                String e = clean(in.adminEmails().get(i));
                if (e == null) {
                    continue;
                }
                String field = "adminEmails[" + admins.size() + "]";
                admins.add(e);
                if (email(problems, field, e) && !seen.add(e.toLowerCase(Locale.ROOT))) {
                    problems.add(problem(field, "duplicate", "validation.onboarding.duplicate"));
                }
            }
        }
        if (admins.isEmpty() && complete) {
            problems.add(problem("adminEmails", "required", "validation.not_null"));
        } else if (admins.size() > MAX_ADMINS) {
            problems.add(new FieldProblem("adminEmails", "too_many", "validation.onboarding.too_many",
                    Map.of("max", MAX_ADMINS)));
        }
        ApplicationInput value = new ApplicationInput(slug, nameZh, nameEn, region, zone, contactName, contactEmail,
                language, issuer, clientId, nameClaim, emailClaim, List.copyOf(admins));
        return new Result(value, List.copyOf(problems));
    }

    /** https, or http on the loopback host only (development); no query, fragment or user info. */
    static boolean issuerUrl(String value) {
        if (value.length() > 2000 || value.chars().anyMatch(ch -> ch <= ' ')) {
            return false;
        }
        try {
            URI uri = new URI(value);
            String host = uri.getHost();
            if (host == null || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return false;
            }
            if ("https".equals(uri.getScheme())) {
                return true;
            }
            return "http".equals(uri.getScheme())
                    && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String claim(List<FieldProblem> problems, String field, String raw, String fallback) {
        String v = clean(raw);
        if (v == null) {
            return fallback;
        }
        if (!CLAIM.matcher(v).matches()) {
            problems.add(problem(field, "pattern", "validation.pattern"));
        }
        return v;
    }

    private static boolean required(List<FieldProblem> problems, String field, String value, boolean needed) {
        if (value == null) {
            if (needed) {
                problems.add(problem(field, "required", "validation.not_null"));
            }
            return false;
        }
        return true;
    }

    private static void length(List<FieldProblem> problems, String field, String value, int max) {
        if (value.length() > max) {
            problems.add(new FieldProblem(field, "size", "validation.size", Map.of("min", 1, "max", max)));
        }
    }

    private static boolean email(List<FieldProblem> problems, String field, String value) {
        if (value.length() > 320 || !EMAIL.matcher(value).matches()) {
            problems.add(problem(field, "email", "validation.email"));
            return false;
        }
        return true;
    }

    private static FieldProblem problem(String field, String code, String key) {
        return new FieldProblem(field, code, key, Map.of());
    }

    /** Trimmed, or null when absent or blank. */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
