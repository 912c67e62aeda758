package org.labcommons.server.iot;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.booking.Booking;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.BookingRules;
import org.labcommons.core.booking.BookingRulesInput;
import org.labcommons.core.booking.BookingRulesService;
import org.labcommons.core.booking.BookingService;
import org.labcommons.core.booking.Qualifications;
import org.labcommons.core.booking.SlotConflictException;
import org.labcommons.core.catalog.InstrumentRows;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.UserAccountRows;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.labcommons.core.usage.credentials.PersonCredentials;
import org.labcommons.core.usage.grants.GrantPublisher;
import org.labcommons.iot.device.ReferenceDevice;
import org.labcommons.iot.protocol.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Dev mode's week of use at Donghu's demo NMR and TEM, so that usage, the interlock and their pages have
 * something to show: two demo researchers with cards and PC logins ({@link #PEOPLE}, through usage's
 * {@link PersonCredentials}), authorised on the instruments (booking's {@link Qualifications}); their bookings of
 * the past days and one covering now on the NMR (booking's {@link BookingService}); and what the instruments'
 * controllers recorded over those days, sent by the running demo controllers ({@link DemoControllers}) as LC-IC/1
 * messages with {@code historical: true}, as a controller that was offline replays them, so the bridge and usage
 * take them as any readings. From them usage derives booked sessions, an overtime, an unbooked use, an
 * unattributed one, and (by its no-show sweep) a no-show ({@link #PLAN}).
 *
 * <p>Idempotent: the week is made only when the researcher has no booking of the NMR in the last eight days, the
 * booking of now only when none of theirs covers now; people, cards and authorisations are added only when missing.
 * Bookings of the past are created through the booking rules with the booking clock set eight days back for the
 * moment of their creation (the rules refuse a start in the past); the grant records of the two instruments are
 * sent again once it is restored.
 */
@Singleton
@Requires(property = "labcommons.demo.enabled", value = "true")
@Requires(property = "labcommons.iot.simulator.demo-controllers", value = "true")
public class DemoWeek {
    private static final Logger LOG = LoggerFactory.getLogger(DemoWeek.class);

    static final String TENANT = "donghu";
    /** The 400 MHz NMR (bookable around the clock in the demo, as NMR labs with overnight queues are). */
    public static final String NMR = "DH-2012-0417";
    /** The TEM. */
    public static final String TEM = "DH-2015-0921";

    /**
     * A demo person of Donghu: sign-in name (issuer donghu), name and e-mail (null: an account DemoData makes), card
     * number as printed on it, PC login, what they are.
     */
    public record Person(String username, @Nullable String name, @Nullable String email, String card, String login,
                         String who) {
        /** The card's UID as a reader reports it (upper-case hex, no separators). */
        public String cardId() {
            return PersonCredentials.normaliseCard(card);
        }
    }

    public static final Person RESEARCHER = new Person("donghu-researcher", "周敏 Zhou Min", "zhou.min@donghu.example",
            "04:5A:17:C2:9E:31:80", "zhoumin", "researcher, Department of Chemistry: the card that opens the NMR during a booking");
    public static final Person STUDENT = new Person("donghu-student", "孙浩 Sun Hao", "sun.hao@donghu.example",
            "04:8B:22:D1:4F:6A:91", "sunhao", "graduate student, uses the TEM (and the NMR)");
    /** The NMR's instrument admin (a demo login of DemoData) gets a card too. */
    public static final Person NMR_STAFF = new Person("donghu-nmr-staff", null, null,
            "04:3C:90:E5:12:7B:44", "nmrstaff", "instrument admin of the NMR");
    public static final List<Person> PEOPLE = List.of(RESEARCHER, STUDENT, NMR_STAFF);

    /**
     * One day of the plan: on instrument {@code asset}, {@code daysAgo} days before today (local), a booking
     * ({@code booked}, null: none) and use measured ({@code used}, null: none) by {@code person}, identified by
     * {@code identity} ({@code card}, {@code pc} or {@code none}); {@code weekday}: moved back to a Monday-Friday
     * (the TEM keeps the default booking hours).
     */
    record Day(String asset, int daysAgo, boolean weekday, Person person, @Nullable String[] booked,
               @Nullable String[] used, String identity, String what) {
    }

    static final List<Day> PLAN = List.of(
            new Day(NMR, 6, false, RESEARCHER, slot("09:00", "11:00"), slot("09:05", "10:50"), "card", "booked"),
            new Day(NMR, 5, false, RESEARCHER, slot("14:00", "16:00"), slot("14:10", "16:40"), "card", "overtime"),
            new Day(TEM, 4, true, STUDENT, slot("09:00", "12:00"), slot("09:20", "11:45"), "none", "booked, grade B"),
            new Day(TEM, 3, false, STUDENT, null, slot("19:30", "21:00"), "pc", "unbooked"),
            new Day(NMR, 2, false, RESEARCHER, slot("10:00", "12:00"), null, "none", "no-show"),
            new Day(NMR, 1, false, STUDENT, slot("13:30", "15:30"), slot("13:35", "15:20"), "pc", "booked"),
            new Day(TEM, 1, false, STUDENT, null, slot("02:10", "02:50"), "none", "unattributed"));

    /** What one {@link #load()} did. */
    public record Summary(int bookingsCreated, int messagesSent, @Nullable UUID currentBooking) {
    }

    private final TenantTransactions tenants;
    private final InstrumentRows instruments;
    private final UserAccountRows accounts;
    private final PersonCredentials credentials;
    private final Qualifications qualifications;
    private final BookingRulesService rules;
    private final BookingService bookings;
    private final BookingClock clock;
    private final GrantPublisher grants;
    private final DemoControllers controllers;
    private final String devIdentityProvider;

    public DemoWeek(TenantTransactions tenants, InstrumentRows instruments, UserAccountRows accounts,
                    PersonCredentials credentials, Qualifications qualifications, BookingRulesService rules,
                    BookingService bookings, BookingClock clock, GrantPublisher grants, DemoControllers controllers,
                    @Value("${labcommons.oidc.dev-base-url:}") String devIdentityProvider) {
        this.tenants = tenants;
        this.instruments = instruments;
        this.accounts = accounts;
        this.credentials = credentials;
        this.qualifications = qualifications;
        this.rules = rules;
        this.bookings = bookings;
        this.clock = clock;
        this.grants = grants;
        this.controllers = controllers;
        this.devIdentityProvider = devIdentityProvider;
    }

    private static String[] slot(String from, String to) {
        return new String[]{from, to};
    }

    /** The demo tenant's id (as DemoData derives it). */
    public static TenantId tenant() {
        return new TenantId(demoId("tenant", TENANT));
    }

    /** A person's account id as demo data derives it (the account made at a sign-in before keeps its own: {@link #idOf}). */
    static UUID userId(Person p) {
        return demoId("user", TENANT, p.username());
    }

    /** A person's account id. */
    public UUID idOf(Person p) {
        return accounts.idOf(issuer(), p.username()).orElse(userId(p));
    }

    private String issuer() {
        return devIdentityProvider.replaceAll("/$", "") + "/" + TENANT;
    }

    private static UUID demoId(String... parts) {
        return UUID.nameUUIDFromBytes(("labcommons-demo:" + String.join("/", parts)).getBytes(StandardCharsets.UTF_8));
    }

    public Optional<UUID> instrument(String asset) {
        return tenants.inTenant(tenant(), c -> instruments.findIdByAssetNumber(asset));
    }

    /** Dev mode: {@link #load()}, then the researcher's card at the NMR (so it is in use now), in the background. */
    public void startInBackground() {
        startInBackground(() -> { });
    }

    /** {@link #startInBackground()}, running {@code then} in the same thread after the week is loaded. */
    public void startInBackground(Runnable then) {
        Thread t = new Thread(() -> {
            try {
                Summary s = load();
                then.run();
                if (s.currentBooking() != null || hasCurrentBooking()) {
                    presentResearcherCard(Duration.ofSeconds(120));
                }
            } catch (RuntimeException | InterruptedException e) {
                LOG.warn("demo week not loaded: {}", e.toString());
            }
        }, "lc-demo-week");
        t.setDaemon(true);
        t.start();
    }

    /** Adds what is missing: people, cards, authorisations, the NMR's hours, the week's bookings and readings, the booking of now. */
    public Summary load() throws InterruptedException {
        if (devIdentityProvider.isBlank()) {
            LOG.info("demo week: no dev identity provider, so no demo people and no week of use");
            return new Summary(0, 0, null);
        }
        Optional<UUID> nmr = instrument(NMR);
        Optional<UUID> tem = instrument(TEM);
        if (nmr.isEmpty() || tem.isEmpty()) {
            LOG.info("demo week: no demo NMR or TEM");
            return new Summary(0, 0, null);
        }
        people();
        authorise(nmr.get(), NMR_STAFF, RESEARCHER, STUDENT);
        authorise(tem.get(), NMR_STAFF, STUDENT);
        roundTheClock(nmr.get());
        ZoneId zone = ZoneId.of(rules.get(tenant(), nmr.get()).timeZone());
        Instant now = Instant.now();
        boolean weekThere = !bookings.forInstrument(tenant(), nmr.get(), idOf(RESEARCHER),
                now.minus(Duration.ofDays(8)), now.minus(Duration.ofHours(12))).isEmpty();
        List<Recorded> history = weekThere ? List.of() : history(zone, now, nmr.get(), tem.get());
        int created = 0;
        UUID current = null;
        clock.set(Clock.offset(Clock.systemUTC(), Duration.ofDays(-8)));
        try {
            if (!weekThere) {
                for (Day d : PLAN) {
                    if (d.booked() != null && book(d.asset().equals(NMR) ? nmr.get() : tem.get(), d.person(),
                            at(zone, now, d, d.booked()[0]), at(zone, now, d, d.booked()[1])) != null) {
                        created++;
                    }
                }
            }
            if (!hasCurrentBooking()) {
                Instant start = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofMinutes(30));
                Booking b = book(nmr.get(), RESEARCHER, start, start.plus(Duration.ofMinutes(180)));
                if (b != null) {
                    current = b.id();
                    created++;
                }
            }
        } finally {
            clock.set(null);
        }
        grants.republishQuietly(tenant(), nmr.get());
        grants.republishQuietly(tenant(), tem.get());
        int sent = send(history);
        LOG.info("demo week: {} bookings created, {} controller messages of the past week sent", created, sent);
        return new Summary(created, sent, current);
    }

    /** Whether the researcher has a booking of the NMR that covers now. */
    public boolean hasCurrentBooking() {
        Instant now = Instant.now();
        return instrument(NMR).map(nmr -> bookings.forInstrument(tenant(), nmr, idOf(RESEARCHER), now,
                now.plusSeconds(1)).stream().anyMatch(b -> "approved".equals(b.status())
                || "checked_in".equals(b.status()))).orElse(false);
    }

    /**
     * The researcher's card at the NMR's controller, for use, until the platform allows it (the grant records reach
     * the bridge through Kafka first), at most {@code patience}: the allow switches the NMR's power on, and the
     * simulated controller reports it in use. The last answer, or null.
     */
    public @Nullable Map<String, Object> presentResearcherCard(Duration patience) throws InterruptedException {
        if (!controllers.awaitLive(NMR, Duration.ofSeconds(60))) {
            return null;
        }
        ReferenceDevice nmr = controllers.device(NMR).orElseThrow();
        long deadline = System.nanoTime() + patience.toNanos();
        Map<String, Object> answer = null;
        while (System.nanoTime() < deadline) {
            try {
                answer = nmr.access("card", RESEARCHER.cardId(), "use").get(30, TimeUnit.SECONDS);
                if ("allow".equals(answer.get("decision"))) {
                    break;
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.debug("demo week: no answer: {}", e.toString());
            }
            Thread.sleep(3_000);
        }
        LOG.info("demo week: {}'s card at the NMR: {}", RESEARCHER.username(), answer);
        return answer;
    }

    // ------------------------------------------------------------------------------------------------ people

    private void people() {
        UUID by = idOf(NMR_STAFF);
        for (Person p : PEOPLE) {
            if (p.name() != null) {
                accounts.createIfAbsent(userId(p), issuer(), p.username(), p.name(), p.email());
            }
            if (accounts.idOf(issuer(), p.username()).isEmpty()) {
                continue;   // the staff login's account comes with DemoData's roles
            }
            addCredential(idOf(p), by, "card", p.card());
            addCredential(idOf(p), by, "login", p.login());
        }
    }

    private void addCredential(UUID user, UUID by, String kind, String value) {
        String normalised = PersonCredentials.normalise(kind, value);
        boolean present = credentials.list(tenant(), user, kind, null, 0, 50).items().stream()
                .anyMatch(c -> c.value().equals(normalised));
        if (!present) {
            credentials.add(tenant(), AuditEntry.Actor.SYSTEM, by,
                    new PersonCredentials.Input(kind, value, user, "demo", null));
        }
    }

    private void authorise(UUID instrument, Person by, Person... people) {
        for (Person p : people) {
            boolean valid = qualifications.find(tenant(), instrument, idOf(p))
                    .map(a -> "valid".equals(a.state())).orElse(false);
            if (!valid) {
                qualifications.grant(tenant(), AuditEntry.Actor.SYSTEM, idOf(by), instrument, idOf(p), "demo");
            }
        }
    }

    /** The NMR may be booked at any hour (demo data leaves its rules alone once someone set them). */
    private void roundTheClock(UUID nmr) {
        if (rules.get(tenant(), nmr).custom()) {
            return;
        }
        Map<String, List<BookingRules.Interval>> hours = new LinkedHashMap<>();
        BookingRules.WEEKDAYS.forEach(d -> hours.put(d, List.of(new BookingRules.Interval("00:00", "24:00"))));
        rules.put(tenant(), AuditEntry.Actor.SYSTEM, nmr, new BookingRulesInput(null, hours, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null));
    }

    /** The booking, or null when the rules or someone's booking refused it (logged: the rest of the week goes on). */
    private @Nullable Booking book(UUID instrument, Person p, Instant start, Instant end) {
        BookingService.Requester who = new BookingService.Requester(idOf(p), tenant(),
                new AuditEntry.Actor(issuer(), p.username(), tenant().value().toString()), false);
        try {
            return bookings.create(tenant(), who, instrument, new BookingService.NewBooking(start, end, null, null, false,
                    "demo"));
        } catch (ProblemException | SlotConflictException refused) {
            LOG.warn("demo week: no booking of {} for {} from {}: {}", instrument, p.username(), start, refused.toString());
            return null;
        }
    }

    // ----------------------------------------------------------------------------------------- readings

    /** A message a controller recorded: its instrument, when, channel, type and body. */
    record Recorded(String asset, Instant at, String channel, String type, Map<String, Object> body) {
    }

    static LocalDate dayOf(ZoneId zone, Instant now, Day d) {
        LocalDate day = now.atZone(zone).toLocalDate().minusDays(d.daysAgo());
        while (d.weekday() && (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY)) {
            day = day.minusDays(1);
        }
        return day;
    }

    static Instant at(ZoneId zone, Instant now, Day d, String hhmm) {
        return dayOf(zone, now, d).atTime(LocalTime.parse(hhmm)).atZone(zone).toInstant();
    }

    /**
     * What the two controllers recorded from eight days ago to a quarter of an hour ago: standby power every 15
     * minutes, and for each use of the plan its card swipe or PC login, the relay switched on, a sample a minute
     * while in use (and for six minutes after), the logout and the relay off.
     */
    List<Recorded> history(ZoneId zone, Instant now, UUID nmr, UUID tem) {
        List<Recorded> out = new ArrayList<>();
        List<Recorded> busy = new ArrayList<>();   // per use: asset, start; body "until
        SplittableRandom random = new SplittableRandom(20261206L);
        for (Day d : PLAN) {
            if (d.used() == null) {
                continue;
            }
            Instant on = at(zone, now, d, d.used()[0]);
            Instant off = at(zone, now, d, d.used()[1]);
            busy.add(new Recorded(d.asset(), on.minusSeconds(60), "", "", Map.of("until", off.plus(Duration.ofMinutes(7)))));
            switch (d.identity()) {
                case "card" -> {
                    out.add(event(d.asset(), on.minusSeconds(40), "card.swipe", Map.of("cardId", d.person().cardId())));
                    out.add(event(d.asset(), on.minusSeconds(30), "session.start",
                            Map.of("sessionId", UUID.nameUUIDFromBytes((d.asset() + on).getBytes(StandardCharsets.UTF_8))
                                    .toString(), "cardId", d.person().cardId())));
                }
                case "pc" -> out.add(event(d.asset(), on.plusSeconds(90), "pc.login",
                        Map.of("user", d.person().login(), "host", d.asset() + "-PC")));
                default -> { }
            }
            out.add(event(d.asset(), on.minusSeconds(20), "relay.state", Map.of("on", true, "cause", "local")));
            double base = NMR.equals(d.asset()) ? 850 : 1900;
            for (Instant t = on; !t.isAfter(off); t = t.plusSeconds(60)) {
                out.add(sample(d.asset(), t, base + random.nextDouble() * base * 0.4, 1));
            }
            if ("pc".equals(d.identity())) {
                out.add(event(d.asset(), off.minusSeconds(60), "pc.logout",
                        Map.of("user", d.person().login(), "host", d.asset() + "-PC")));
            }
            out.add(event(d.asset(), off.plusSeconds(20), "relay.state", Map.of("on", false, "cause", "local")));
            for (int m = 1; m <= 6; m++) {
                out.add(sample(d.asset(), off.plusSeconds(60L * m), 8 + random.nextDouble() * 12, 1));
            }
        }
        Instant from = now.minus(Duration.ofDays(8)).truncatedTo(ChronoUnit.HOURS);
        Instant to = now.minus(Duration.ofMinutes(15));
        for (String asset : List.of(NMR, TEM)) {
            for (Instant t = from; t.isBefore(to); t = t.plus(Duration.ofMinutes(15))) {
                Instant s = t;
                if (busy.stream().noneMatch(b -> b.asset().equals(asset) && !s.isBefore(b.at())
                        && s.isBefore((Instant) b.body().get("until")))) {
                    out.add(sample(asset, t, 8 + random.nextDouble() * 12, 15));
                }
            }
        }
        out.sort(Comparator.comparing(Recorded::at));
        return out;
    }

    private static Recorded event(String asset, Instant at, String type, Map<String, Object> body) {
        return new Recorded(asset, at, Topic.EVENT, type, body);
    }

    private static Recorded sample(String asset, Instant at, double watts, int minutes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("watts", Math.round(watts * 10) / 10.0);
        body.put("relay", watts >= 40 ? "on" : "off");
        body.put("intervalMs", minutes * 60_000);
        return new Recorded(asset, at, Topic.TELEMETRY, "power.sample", body);
    }

    /** Sends the recorded messages through the instruments' running controllers; how many the broker acknowledged. */
    private int send(List<Recorded> history) throws InterruptedException {
        if (history.isEmpty()) {
            return 0;
        }
        for (String asset : List.of(NMR, TEM)) {
            if (!controllers.awaitLive(asset, Duration.ofSeconds(60))) {
                LOG.warn("demo week: the controller of {} is not live; its week is not sent", asset);
            }
        }
        Map<String, Double> energy = new LinkedHashMap<>();
        List<CompletableFuture<Boolean>> acks = new ArrayList<>();
        for (Recorded r : history) {
            Optional<ReferenceDevice> device = controllers.device(r.asset()).filter(ReferenceDevice::isLive);
            if (device.isEmpty()) {
                continue;
            }
            Map<String, Object> body = r.body();
            if (Topic.TELEMETRY.equals(r.channel())) {
                double hours = ((Number) body.get("intervalMs")).doubleValue() / 3_600_000.0;
                double wh = energy.merge(r.asset(), ((Number) body.get("watts")).doubleValue() * hours, Double::sum);
                body = new LinkedHashMap<>(body);
                body.put("energyWh", Math.round(wh * 100) / 100.0);
            }
            acks.add(device.get().sendRecorded(r.channel(), r.type(), body, r.at()));
        }
        int acknowledged = 0;
        for (CompletableFuture<Boolean> ack : acks) {
            try {
                if (ack.get(60, TimeUnit.SECONDS)) {
                    acknowledged++;
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.debug("demo week: a message not acknowledged: {}", e.toString());
            }
        }
        return acknowledged;
    }
}
