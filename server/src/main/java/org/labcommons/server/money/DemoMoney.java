package org.labcommons.server.money;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.billing.payers.PayerAccount;
import org.labcommons.core.billing.payers.PayerInput;
import org.labcommons.core.billing.payers.Payers;
import org.labcommons.core.billing.rates.FeeStandard;
import org.labcommons.core.billing.rates.FeeStandardInput;
import org.labcommons.core.billing.rates.FeeStandards;
import org.labcommons.core.billing.subsidies.Fund;
import org.labcommons.core.billing.subsidies.Funds;
import org.labcommons.core.billing.subsidies.TaxIds;
import org.labcommons.core.billing.subsidies.Voucher;
import org.labcommons.core.billing.subsidies.Vouchers;
import org.labcommons.core.booking.Booking;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.BookingService;
import org.labcommons.core.booking.Qualifications;
import org.labcommons.core.booking.SlotConflictException;
import org.labcommons.core.booking.UsageRecords;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentRows;
import org.labcommons.core.catalog.InstrumentService;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.UserAccountRows;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Dev mode's month of money (issue 17's "Done when"), on the demo data: what the people of the demo find when they
 * sign in, so that they can do the rest in the pages.
 * <ul>
 *   <li>Filed fee standards, effective from the first day of last month ({@link #period}): Donghu's 400 MHz NMR and
 *       Xiling's field-emission SEM, machine time, for the internal, consortium and external rate groups, at the
 *       demo's published prices; each drafted by the instrument's staff and approved by two other people.</li>
 *   <li>Payer accounts: the Xiling researcher's NSFC project (PI: the researcher); a Donghu project led by the Donghu
 *       researcher with the Donghu student a member; the prepaid customer account of a testing company at Donghu,
 *       with a deposit, its engineer a member.</li>
 *   <li>An open-testing fund at each university for last month, 20 % of staff's and 30 % of students' fees, also
 *       of their use at the other university (its payable at home).</li>
 *   <li>At the bureau: the testing company registered and an innovation voucher of 50,000 yuan issued to it
 *       (20,000 yuan a claim, 100,000 a year).</li>
 *   <li>The last Monday-Friday week of last month: the Xiling researcher's NMR evenings at Donghu (five bookings,
 *       charged to the NSFC project; the consortium rate), the Donghu student's two SEM mornings at Xiling (the
 *       Donghu project), the engineer's NMR test at Donghu booked by the NMR staff at the external rate (the
 *       company's account); each with the use the staff recorded (one evening ran 35 minutes over).</li>
 * </ul>
 * From the recorded use billing rates the charges (pending review at the provider). Reviewing them, the month close,
 * the statements and finance files, the netting between the two universities and the voucher's part are the
 * people's work in the pages ({@code DemoMoneySpec} does it through the API, as they would).
 *
 * <p>Idempotent: each part is made only when missing (cards by key, accounts by code, funds and the enterprise by
 * name, bookings when the person has none of the instrument in the week). Bookings and filings of the past are made
 * with the booking clock set back to the moment they would have been made; it is restored after each.
 */
@Singleton
@Requires(property = "labcommons.demo.enabled", value = "true")
public class DemoMoney {
    private static final Logger LOG = LoggerFactory.getLogger(DemoMoney.class);

    public static final String NMR = "DH-2012-0417";
    public static final String SEM = "XL-2017-0045";
    public static final String XILING_PROJECT = "XL-NSFC-22179001";
    public static final String DONGHU_PROJECT = "DH-NSFC-22079031";
    public static final String CUSTOMER = "DH-CUST-HZJC";
    public static final String COMPANY = "杭州精测检测技术有限公司";
    /** The company's unified social credit code (its check character computed by {@link TaxIds}). */
    public static final String COMPANY_TAX_ID = "91330106MA2H7K3P0" + TaxIds.check("91330106MA2H7K3P0");
    public static final String FUND_EN = "Open-testing fund (demo)";

    /** Machine-time prices in fen an hour: internal, consortium, external (the demo's published prices). */
    static final Map<String, long[]> PRICES = Map.of(NMR, new long[]{8_000, 12_000, 20_000},
            SEM, new long[]{20_000, 30_000, 45_000});
    static final List<String> GROUPS = List.of("internal", "consortium", "external");

    /** What one {@link #load()} made. */
    public record Summary(YearMonth period, LocalDate monday, int cardsFiled, int accountsOpened, int bookingsCreated,
                          int usageRecorded) {
    }

    private final TenantTransactions tenants;
    private final InstrumentRows instrumentRows;
    private final InstrumentService instruments;
    private final UserAccountRows accounts;
    private final Qualifications qualifications;
    private final BookingService bookings;
    private final UsageRecords usage;
    private final BookingClock clock;
    private final FeeStandards cards;
    private final Payers payers;
    private final Funds funds;
    private final Vouchers vouchers;
    private final String devIdentityProvider;

    public DemoMoney(TenantTransactions tenants, InstrumentRows instrumentRows, InstrumentService instruments,
                     UserAccountRows accounts, Qualifications qualifications, BookingService bookings,
                     UsageRecords usage, BookingClock clock, FeeStandards cards, Payers payers, Funds funds,
                     Vouchers vouchers, @Value("${labcommons.oidc.dev-base-url:}") String devIdentityProvider) {
        this.tenants = tenants;
        this.instrumentRows = instrumentRows;
        this.instruments = instruments;
        this.accounts = accounts;
        this.qualifications = qualifications;
        this.bookings = bookings;
        this.usage = usage;
        this.clock = clock;
        this.cards = cards;
        this.payers = payers;
        this.funds = funds;
        this.vouchers = vouchers;
        this.devIdentityProvider = devIdentityProvider;
    }

    // ------------------------------------------------------------------------------------ who and where

    public static TenantId tenant(String slug) {
        return new TenantId(demoId("tenant", slug));
    }

    public static final TenantId DONGHU = tenant("donghu");
    public static final TenantId XILING = tenant("xiling");
    public static final TenantId BUREAU = tenant("consortium");

    private static UUID demoId(String... parts) {
        return UUID.nameUUIDFromBytes(("labcommons-demo:" + String.join("/", parts)).getBytes(StandardCharsets.UTF_8));
    }

    private String issuer(String tenant) {
        return devIdentityProvider.replaceAll("/$", "") + "/" + tenant;
    }

    /** The account of a demo login (issuer = its tenant's slug); made with a name when missing. */
    public UUID person(String tenant, String username, @Nullable String name, @Nullable String email) {
        Optional<UUID> known = accounts.idOf(issuer(tenant), username);
        if (known.isPresent()) {
            return known.get();
        }
        UUID id = demoId("user", tenant, username);
        accounts.createIfAbsent(id, issuer(tenant), username, name, email);
        return accounts.idOf(issuer(tenant), username).orElse(id);
    }

    public Optional<UUID> instrument(TenantId tenant, String asset) {
        return tenants.inTenant(tenant, c -> instrumentRows.findIdByAssetNumber(asset));
    }

    /** Last month in Donghu's zone: the month the demo's money belongs to. */
    public static YearMonth period(ZoneId zone, Instant now) {
        return YearMonth.from(now.atZone(zone)).minusMonths(1);
    }

    /** The Monday of the last Monday-Friday week inside {@code period}. */
    public static LocalDate monday(YearMonth period) {
        return period.atEndOfMonth().with(TemporalAdjusters.previousOrSame(DayOfWeek.FRIDAY)).minusDays(4);
    }

    // ------------------------------------------------------------------------------------------ loading

    /** Loads what is missing; returns what it made (nothing when there is no dev identity provider or no demo data). */
    public Summary load() {
        ZoneId zone = cards.zone(DONGHU);
        YearMonth period = period(zone, Instant.now());
        LocalDate monday = monday(period);
        if (devIdentityProvider.isBlank()) {
            LOG.info("demo money: no dev identity provider, so no demo people and no money");
            return new Summary(period, monday, 0, 0, 0, 0);
        }
        Optional<UUID> nmr = instrument(DONGHU, NMR);
        Optional<UUID> sem = instrument(XILING, SEM);
        if (nmr.isEmpty() || sem.isEmpty()) {
            LOG.info("demo money: no demo NMR at Donghu or SEM at Xiling");
            return new Summary(period, monday, 0, 0, 0, 0);
        }
        People p = people();
        int filed = fileCards(DONGHU, nmr.get(), period, p.nmrStaff(), p.donghuAdmin(), p.donghuFinance())
                + fileCards(XILING, sem.get(), period, p.xilingSemStaff(), p.xilingAdmin(), p.xilingFinance());
        int opened = accounts(p);
        fund(DONGHU, period, p.donghuFinance());
        fund(XILING, period, p.xilingFinance());
        voucher(p.bureauAdmin(), period);
        qualify(DONGHU, nmr.get(), p.nmrStaff(), p.xilingResearcher(), p.engineer());
        qualify(XILING, sem.get(), p.xilingSemStaff(), p.donghuStudent());
        int[] made = week(zone, monday, nmr.get(), sem.get(), p);
        LOG.info("demo money: {} fee standards filed, {} accounts opened, {} bookings and {} usage records in the week of {}",
                filed, opened, made[0], made[1], monday);
        return new Summary(period, monday, filed, opened, made[0], made[1]);
    }

    /** The demo's people of the money journey (account ids). */
    public record People(UUID nmrStaff, UUID donghuAdmin, UUID donghuFinance, UUID donghuResearcher, UUID donghuStudent,
                         UUID engineer, UUID xilingResearcher, UUID xilingFinance, UUID xilingAdmin, UUID xilingSemStaff,
                         UUID bureauAdmin) {
    }

    public People people() {
        return new People(person("donghu", "donghu-nmr-staff", null, null),
                person("donghu", "donghu-admin", null, null),
                person("donghu", "donghu-finance", "钱静 Qian Jing", "qian.jing@donghu.example"),
                person("donghu", "donghu-researcher", "周敏 Zhou Min", "zhou.min@donghu.example"),
                person("donghu", "donghu-student", "孙浩 Sun Hao", "sun.hao@donghu.example"),
                person("donghu", "hz-engineer", "陈工 Chen Gong", "chen.gong@hzjc.example"),
                person("xiling", "xiling-researcher", "林涛 Lin Tao", "lin.tao@xiling.example"),
                person("xiling", "xiling-finance", "赵芳 Zhao Fang", "zhao.fang@xiling.example"),
                person("xiling", "xiling-admin", "吴磊 Wu Lei", "wu.lei@xiling.example"),
                person("xiling", "xiling-sem-staff", "郑洁 Zheng Jie", "zheng.jie@xiling.example"),
                person("consortium", "bureau-admin", null, null));
    }

    private static AuditEntry.Actor demo(UUID user) {
        return new AuditEntry.Actor(null, "demo-money:" + user, null);
    }

    /** The booking clock at {@code at} while {@code work} runs (filings and bookings of the past). */
    private <T> T at(Instant at, java.util.function.Supplier<T> work) {
        clock.set(Clock.fixed(at, ZoneOffset.UTC));
        try {
            return work.get();
        } finally {
            clock.set(null);
        }
    }

    /** Machine-time cards of the three groups, effective from the period's first day: drafted, approved twice, filed. */
    private int fileCards(TenantId tenant, UUID instrumentId, YearMonth period, UUID drafter, UUID department,
                          UUID committee) {
        Instrument instrument = instruments.find(tenant, instrumentId).orElseThrow();
        String asset = instrument.assetNumber();
        ZoneId zone = cards.zone(tenant);
        LocalDate first = period.atDay(1);
        int filed = 0;
        for (int g = 0; g < GROUPS.size(); g++) {
            String group = GROUPS.get(g);
            boolean present = cards.list(tenant, instrumentId, null, group, null, 0, 50).items().stream()
                    .anyMatch(c -> !List.of("withdrawn", "superseded").contains(c.status()));
            if (present) {
                continue;
            }
            long price = PRICES.get(asset)[g];
            String filingRef = "浙价费备〔" + first.getYear() + "〕" + (g + 11) + "号";
            FeeStandard card = at(first.atTime(LocalTime.of(9, 0)).atZone(zone).toInstant(), () -> {
                FeeStandard draft = cards.create(tenant, demo(drafter), drafter, instrument, new FeeStandardInput(
                        instrumentId, null, group, "hour", price, price / 2, 15, price / 4, null, first,
                        "示例收费标准 demo fee standard"));
                cards.submit(tenant, demo(drafter), drafter, draft.id(), null);
                cards.approveDepartment(tenant, demo(department), department, draft.id(), "同意 approved");
                cards.approveCommittee(tenant, demo(committee), committee, draft.id(), "收费委员会审议通过 approved");
                return cards.file(tenant, demo(committee), committee, draft.id(),
                        filingRef, first, null);
            });
            filed += "filed".equals(card.status()) ? 1 : 0;
        }
        return filed;
    }

    private int accounts(People p) {
        int opened = 0;
        LocalDate from = LocalDate.now(ZoneOffset.UTC).minusYears(1).withDayOfYear(1);
        if (payers.find(XILING, XILING_PROJECT).isEmpty()) {
            payers.create(XILING, demo(p.xilingFinance()), p.xilingFinance(), new PayerInput("project", XILING_PROJECT,
                    "国家自然科学基金面上项目（表界面催化）", "NSFC general project (interface catalysis)", "22179001",
                    "KY-XL-2025-0117", p.xilingResearcher(), null, 20_000_000L, from, from.plusYears(4).minusDays(1),
                    null, "monthly", null, null, null, null, null));
            opened++;
        }
        if (payers.find(DONGHU, DONGHU_PROJECT).isEmpty()) {
            PayerAccount a = payers.create(DONGHU, demo(p.donghuFinance()), p.donghuFinance(), new PayerInput("project",
                    DONGHU_PROJECT, "国家自然科学基金面上项目（有机合成）", "NSFC general project (organic synthesis)",
                    "22079031", "KY-DH-2025-0342", p.donghuResearcher(), null, 15_000_000L, from,
                    from.plusYears(4).minusDays(1), null, "monthly", null, null, null, null, null));
            payers.join(DONGHU, demo(p.donghuStudent()), p.donghuStudent(), DONGHU_PROJECT, "student", "导师课题");
            payers.decide(DONGHU, demo(p.donghuResearcher()), p.donghuResearcher(), a.id(), p.donghuStudent(), "approved",
                    "my student");
            opened++;
        }
        if (payers.find(DONGHU, CUSTOMER).isEmpty()) {
            PayerAccount a = payers.create(DONGHU, demo(p.donghuFinance()), p.donghuFinance(), new PayerInput("customer",
                    CUSTOMER, COMPANY, "Hangzhou Jingce Testing Technology Co., Ltd.", null, null, null, null, null, null,
                    null, null, "prepaid", COMPANY, "陈工 Chen Gong", "0571-8888 6666", "chen.gong@hzjc.example",
                    COMPANY_TAX_ID));
            payers.topUp(DONGHU, demo(p.donghuFinance()), a, 100_000L, "demo-bank-slip-0001", "银行转账 bank transfer");
            payers.join(DONGHU, demo(p.engineer()), p.engineer(), CUSTOMER, "external", null);
            payers.decide(DONGHU, demo(p.donghuFinance()), p.donghuFinance(), a.id(), p.engineer(), "approved", null);
            opened++;
        }
        return opened;
    }

    private void fund(TenantId tenant, YearMonth period, UUID finance) {
        boolean present = funds.list(tenant, 0, 100).items().stream().anyMatch(f -> FUND_EN.equals(f.nameEn())
                && !f.endsOn().isBefore(period.atDay(1)) && !f.startsOn().isAfter(period.atEndOfMonth()));
        if (!present) {
            funds.create(tenant, demo(finance), finance, new Fund.Input("开放测试基金（示例）", FUND_EN, period.atDay(1),
                    period.atEndOfMonth(), 5_000_000L, 2_000, Map.of("student", 3_000), null, null, true, true));
        }
    }

    private void voucher(UUID bureauAdmin, YearMonth period) {
        boolean present = vouchers.enterprises(BUREAU, 0, 200).items().stream()
                .anyMatch(e -> COMPANY_TAX_ID.equals(e.taxId()));
        if (present) {
            return;
        }
        var enterprise = vouchers.register(BUREAU, demo(bureauAdmin), bureauAdmin,
                new Voucher.EnterpriseInput(COMPANY, COMPANY_TAX_ID, "陈工 0571-8888 6666"));
        var batch = vouchers.createBatch(BUREAU, demo(bureauAdmin), bureauAdmin,
                new Voucher.BatchInput(period.getYear() + "年科技创新券（示例批次）", 2_000_000L, 10_000_000L));
        vouchers.issue(BUREAU, demo(bureauAdmin), bureauAdmin, new Voucher.IssueInput(batch.id(), enterprise.id(),
                5_000_000L, period.atDay(1), period.atDay(1).plusYears(1).minusDays(1)));
    }

    private void qualify(TenantId tenant, UUID instrument, UUID by, UUID... people) {
        for (UUID user : people) {
            boolean valid = qualifications.find(tenant, instrument, user).map(a -> "valid".equals(a.state())).orElse(false);
            if (!valid) {
                qualifications.grant(tenant, AuditEntry.Actor.SYSTEM, by, instrument, user, "demo");
            }
        }
    }

    /** One use of the week: who, where, which day (0 = Monday), booked and recorded times, account, booked by staff. */
    record Use(TenantId owner, TenantId home, String asset, int day, String from, String to, String usedFrom,
               String usedTo, String account, @Nullable String rateGroup, String purpose) {
    }

    static List<Use> plan() {
        List<Use> plan = new ArrayList<>();
        for (int d = 0; d < 5; d++) {
            plan.add(new Use(DONGHU, XILING, NMR, d, "17:00", "19:00", "17:05", d == 2 ? "19:40" : "18:55",
                    XILING_PROJECT, null, "二维核磁表征 2D NMR characterisation"));
        }
        plan.add(new Use(XILING, DONGHU, SEM, 2, "09:00", "10:30", "09:10", "10:30", DONGHU_PROJECT, null,
                "催化剂形貌 catalyst morphology"));
        plan.add(new Use(XILING, DONGHU, SEM, 3, "09:00", "10:30", "09:00", "10:20", DONGHU_PROJECT, null,
                "催化剂形貌 catalyst morphology"));
        plan.add(new Use(DONGHU, DONGHU, NMR, 1, "12:00", "13:30", "12:05", "13:30", CUSTOMER, "external",
                "委托测试（企业）contract test for a company"));
        return plan;
    }

    private int[] week(ZoneId zone, LocalDate monday, UUID nmr, UUID sem, People p) {
        int created = 0;
        int recorded = 0;
        for (Use u : plan()) {
            UUID instrument = NMR.equals(u.asset()) ? nmr : sem;
            UUID user = u.home().equals(XILING) ? p.xilingResearcher()
                    : CUSTOMER.equals(u.account()) ? p.engineer() : p.donghuStudent();
            UUID staff = u.owner().equals(DONGHU) ? p.nmrStaff() : p.xilingSemStaff();
            LocalDate day = monday.plusDays(u.day());
            Instant start = day.atTime(LocalTime.parse(u.from())).atZone(zone).toInstant();
            Instant end = day.atTime(LocalTime.parse(u.to())).atZone(zone).toInstant();
            boolean there = bookings.forInstrument(u.owner(), instrument, user, start, end).stream()
                    .anyMatch(b -> !"cancelled".equals(b.status()));
            if (there) {
                continue;
            }
            Booking b = book(u, instrument, user, staff, start.minusSeconds(3 * 86_400), start, end);
            if (b == null) {
                continue;
            }
            created++;
            BookingService.Requester asStaff = new BookingService.Requester(staff, u.owner(), demo(staff), true);
            Instant usedFrom = day.atTime(LocalTime.parse(u.usedFrom())).atZone(zone).toInstant();
            Instant usedTo = day.atTime(LocalTime.parse(u.usedTo())).atZone(zone).toInstant();
            at(usedTo.plusSeconds(600), () -> usage.record(u.owner(), asStaff, b.id(), usedFrom, usedTo, "上机记录（示例）"));
            recorded++;
        }
        return new int[]{created, recorded};
    }

    /** The booking made at {@code madeAt} (approved by the staff when it needs approval), or null when refused (logged). */
    private @Nullable Booking book(Use u, UUID instrument, UUID user, UUID staff, Instant madeAt, Instant start,
                                   Instant end) {
        // on behalf of the person (an explicit rate group): the requester acts with staff's rights, as the staff's page does
        BookingService.Requester who = new BookingService.Requester(user, u.home(),
                u.rateGroup() == null ? demo(user) : demo(staff), u.rateGroup() != null);
        BookingService.Requester asStaff = new BookingService.Requester(staff, u.owner(), demo(staff), true);
        BookingService.NewBooking request = new BookingService.NewBooking(start, end, u.account(), u.rateGroup(), false,
                u.purpose());
        try {
            return at(madeAt, () -> {
                Booking b = u.rateGroup() == null ? bookings.create(u.owner(), who, instrument, request)
                        : bookings.createOnBehalf(u.owner(), who, staff, instrument, request);
                return "requested".equals(b.status()) ? bookings.approve(u.owner(), asStaff, b.id(), "demo") : b;
            });
        } catch (ProblemException | SlotConflictException refused) {
            LOG.warn("demo money: no booking of {} from {}: {} {}", u.asset(), start, refused.toString(),
                    refused instanceof ProblemException p ? p.fieldProblems() : "");
            return null;
        }
    }
}
