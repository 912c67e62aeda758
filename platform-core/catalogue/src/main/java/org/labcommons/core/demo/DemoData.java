package org.labcommons.core.demo;

import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.catalog.InstrumentInput;
import org.labcommons.core.catalog.InstrumentService;
import org.labcommons.core.catalog.RateGroupRows;
import org.labcommons.core.security.RoleAssignmentRows;
import org.labcommons.core.security.UserAccountRows;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Demo data for dev mode ({@code labcommons.demo.enabled=true}): a consortium operator, a
 * provincial network, two universities with departments and platforms, and a dozen instruments
 * modelled on the source documents (the 400 MHz NMR and the TEM are the most-booked instruments
 * there), each university with the usual rate groups (internal, consortium, external) and the
 * instruments with published prices for machine time and some services. Ids are derived from
 * names, so loading twice changes nothing.
 */
@Singleton
@Requires(property = "labcommons.demo.enabled", value = "true")
public class DemoData implements ApplicationEventListener<StartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

    private final TenantTransactions tenantTransactions;
    private final InstrumentService instruments;
    private final DemoRows rows;
    private final RateGroupRows rateGroups;
    private final UserAccountRows accounts;
    private final RoleAssignmentRows roles;

    private final String devIdentityProvider;

    public DemoData(TenantTransactions tenantTransactions, InstrumentService instruments, DemoRows rows,
                    RateGroupRows rateGroups, UserAccountRows accounts, RoleAssignmentRows roles,
                    @io.micronaut.context.annotation.Value("${labcommons.oidc.dev-base-url:}") String devIdentityProvider) {
        this.tenantTransactions = tenantTransactions;
        this.instruments = instruments;
        this.rows = rows;
        this.rateGroups = rateGroups;
        this.accounts = accounts;
        this.roles = roles;
        this.devIdentityProvider = devIdentityProvider;
    }

    record Tenant(String slug, String kind, String nameZh, String nameEn, String parent, String region) {
    }

    /** A demo login (user name on the dev provider's issuer) holding a role on a whole tenant. */
    /** A demo login's role; {@code unit}: the code of the org unit it is scoped to (null: the whole tenant). */
    record DemoRole(String issuer, String username, String tenant, String role, String unit) {
        DemoRole(String issuer, String username, String tenant, String role) {
            this(issuer, username, tenant, role, null);
        }

    }

    /**
     * Who administers what in the demo: the bureau runs the consortium and onboards institutions
     * into the Zhejiang network; the network's own admin onboards there too.
     */
    static final List<DemoRole> ROLES = List.of(
            new DemoRole("consortium", "bureau-admin", "consortium", "consortium_admin"),
            new DemoRole("consortium", "bureau-admin", "zj-network", "network_admin"),
            new DemoRole("consortium", "zj-network-admin", "zj-network", "network_admin"),
            new DemoRole("donghu", "donghu-admin", "donghu", "institution_admin"),
            new DemoRole("donghu", "donghu-nmr-staff", "donghu", "instrument_admin", "NMR-LAB"),
            new DemoRole("donghu", "donghu-finance", "donghu", "finance"),
            new DemoRole("xiling", "xiling-finance", "xiling", "finance"),
            new DemoRole("xiling", "xiling-admin", "xiling", "institution_admin"),
            new DemoRole("xiling", "xiling-sem-staff", "xiling", "instrument_admin", "EM-CENTER"));

    record Unit(String tenant, String code, String kind, String nameZh, String nameEn, Integer level, String mode) {
    }

    record Instrument(String tenant, String asset, String nameZh, String nameEn, String model, String maker,
                      String country, long valueYuan, String purchased, String classification, String unit,
                      String building, String room, double lat, double lon, String scope) {
    }

    static final List<Tenant> TENANTS = List.of(
            new Tenant("consortium", "consortium", "长三角科研仪器共享联盟", "Yangtze Delta Instrument Sharing Consortium", null, null),
            new Tenant("zj-network", "network", "浙江省大型科学仪器设备共享网", "Zhejiang Large Instrument Sharing Network", "consortium", "330000"),
            new Tenant("donghu", "institution", "东湖大学", "Donghu University", "zj-network", "330000"),
            new Tenant("xiling", "institution", "西岭理工大学", "Xiling University of Technology", "zj-network", "330000"));

    /** The demo record as an owner would enter it: services by kind of instrument, flags, rated hours. */
    static InstrumentInput input(Instrument i) {
        List<InstrumentInput.ServiceOffered> services = switch (i.classification().substring(0, 4)) {
            case "0106" -> List.of(
                    new InstrumentInput.ServiceOffered(null, "一维氢谱", "1D proton (1H) spectrum", "5–10 mg，溶于氘代溶剂，样品管由平台提供"),
                    new InstrumentInput.ServiceOffered(null, "碳谱", "13C spectrum", "20–50 mg，溶于氘代溶剂"));
            case "0101" -> List.of(
                    new InstrumentInput.ServiceOffered(null, "形貌观察", "Morphology imaging", "干燥、导电或经喷金处理的固体样品"),
                    new InstrumentInput.ServiceOffered(null, "能谱分析", "EDS elemental analysis", "注明待测元素"));
            case "0102" -> List.of(
                    new InstrumentInput.ServiceOffered(null, "定性定量分析", "Qualitative and quantitative analysis", "液体样品 ≥ 1 mL，注明溶剂和预期成分"));
            case "0103" -> List.of(
                    new InstrumentInput.ServiceOffered(null, "粉末衍射物相分析", "Powder XRD phase analysis", "粉末 ≥ 0.5 g，粒度小于 45 μm"));
            default -> List.of(
                    new InstrumentInput.ServiceOffered(null, "上机测试", "Instrument time with staff support", "请先与机组联系"));
        };
        long fen = Math.multiplyExact(i.valueYuan(), 100L);
        boolean evaluated = fen >= org.labcommons.core.catalog.Instrument.IOT_THRESHOLD_FEN;
        return new InstrumentInput(i.asset(), i.nameZh(), i.nameEn(), i.model(), i.maker(), i.country(), fen,
                LocalDate.parse(i.purchased()), i.classification(), id("unit", i.tenant(), i.unit()), i.building(),
                i.room(), BigDecimal.valueOf(i.lat()), BigDecimal.valueOf(i.lon()), "in_service", "general", 1600,
                new InstrumentInput.Flags(evaluated, evaluated, !"private".equals(i.scope()), "public".equals(i.scope()),
                        !"CN".equals(i.country()) && fen >= 100_000_000L),
                i.scope(), null, null, null, null, services,
                List.of(new InstrumentInput.Contact("仪器管理员", "机组负责人", null, "instruments@" + i.tenant() + ".example")),
                PRICES.getOrDefault(i.asset(), List.of()));
    }

    /** The rate groups onboarding gives a new institution (tenant-admin's Provisioner), for the demo universities. */
    static final List<String[]> RATE_GROUPS = List.of(
            new String[]{"internal", "校内用户", "Internal users"},
            new String[]{"consortium", "联盟成员单位用户", "Consortium member users"},
            new String[]{"external", "校外用户", "External users"});

    /**
     * Three prices, internal / consortium member / external, in whole yuan: for machine time
     * ({@code service} null, per hour) or for the instrument's {@code service}-th service.
     */
    static List<InstrumentInput.PriceInput> tiers(Integer service, String unit, long internal, long consortium,
                                                  long external) {
        return List.of(
                new InstrumentInput.PriceInput(null, service, "internal", unit, internal * 100, null, null),
                new InstrumentInput.PriceInput(null, service, "consortium", unit, consortium * 100, null, null),
                new InstrumentInput.PriceInput(null, service, "external", unit, external * 100, null, null));
    }

    @SafeVarargs
    static List<InstrumentInput.PriceInput> all(List<InstrumentInput.PriceInput>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }

    /**
     * Published prices by asset number, at the level of the source universities' fee lists (the
     * 400 MHz NMR: ¥80 / ¥120 / ¥200 an hour; the TEM ¥300 / ¥450 / ¥600). Services are named by
     * their position in {@link #input}'s list for the instrument's class.
     */
    static final java.util.Map<String, List<InstrumentInput.PriceInput>> PRICES = java.util.Map.ofEntries(
            java.util.Map.entry("DH-2012-0417", all(tiers(null, "hour", 80, 120, 200), tiers(0, "sample", 30, 45, 80),
                    tiers(1, "sample", 60, 90, 150))),
            java.util.Map.entry("DH-2009-0133", all(tiers(null, "hour", 60, 90, 150), tiers(0, "sample", 25, 40, 60))),
            java.util.Map.entry("DH-2015-0921", all(tiers(null, "hour", 300, 450, 600), tiers(0, "sample", 200, 300, 500),
                    tiers(1, "sample", 150, 220, 350))),
            java.util.Map.entry("DH-2018-0310", tiers(null, "hour", 150, 220, 350)),
            java.util.Map.entry("DH-2019-0522", tiers(null, "hour", 120, 180, 300)),
            java.util.Map.entry("DH-2016-0711", tiers(0, "sample", 200, 300, 500)),
            java.util.Map.entry("XL-2017-0045", all(tiers(null, "hour", 200, 300, 450), tiers(0, "sample", 100, 150, 250),
                    tiers(1, "sample", 80, 120, 200))),
            java.util.Map.entry("XL-2014-0288", all(tiers(null, "hour", 100, 150, 250), tiers(0, "sample", 60, 90, 150))),
            java.util.Map.entry("XL-2020-0107", all(tiers(null, "hour", 400, 600, 900), tiers(0, "sample", 300, 450, 700))),
            java.util.Map.entry("XL-2021-0630", tiers(null, "hour", 150, 220, 350)),
            java.util.Map.entry("XL-2013-0912", tiers(0, "sample", 100, 150, 250)),
            java.util.Map.entry("XL-2022-0418", tiers(0, "sample", 150, 220, 350)),
            java.util.Map.entry("XL-2021-0901", all(tiers(null, "hour", 100, 150, 240), tiers(0, "sample", 35, 50, 90))));

    static final List<Unit> UNITS = List.of(
            new Unit("donghu", "CHEM", "department", "化学系", "Department of Chemistry", null, null),
            new Unit("donghu", "LIFE", "department", "生命科学学院", "School of Life Sciences", null, null),
            new Unit("donghu", "ATC", "platform", "分析测试中心", "Analysis and Testing Center", 1, "central"),
            new Unit("donghu", "NMR-LAB", "lab", "核磁共振实验室", "NMR Laboratory", 2, "central"),
            new Unit("xiling", "MSE", "department", "材料科学与工程学院", "School of Materials Science and Engineering", null, null),
            new Unit("xiling", "EM-CENTER", "platform", "电子显微镜中心", "Electron Microscopy Center", 1, "central"),
            new Unit("xiling", "ENV", "lab", "环境分析实验室", "Environmental Analysis Lab", 3, "group"));

    static final List<Instrument> INSTRUMENTS = List.of(
            new Instrument("donghu", "DH-2012-0417", "400M核磁共振谱仪", "400 MHz NMR spectrometer", "AVANCE III HD 400", "Bruker", "CH", 3_200_000, "2012-09-18", "010601", "NMR-LAB", "化学楼", "B105", 30.2636, 120.1236, "public"),
            new Instrument("donghu", "DH-2009-0133", "300M核磁共振谱仪", "300 MHz NMR spectrometer", "AVANCE 300", "Bruker", "CH", 1_850_000, "2009-04-02", "010601", "NMR-LAB", "化学楼", "B107", 30.2636, 120.1236, "consortium"),
            new Instrument("donghu", "DH-2015-0921", "透射电子显微镜", "Transmission electron microscope", "JEM-2100F", "JEOL", "JP", 6_800_000, "2015-11-20", "010101", "ATC", "分析测试楼", "101", 30.2641, 120.1249, "public"),
            new Instrument("donghu", "DH-2018-0310", "流式细胞仪", "Flow cytometer", "BD FACSAria III", "BD Biosciences", "US", 2_400_000, "2018-03-10", "011012", "LIFE", "生命科学楼", "C302", 30.2652, 120.1221, "network"),
            new Instrument("donghu", "DH-2019-0522", "激光共聚焦显微镜", "Confocal laser scanning microscope", "LSM 880", "Zeiss", "DE", 3_900_000, "2019-05-22", "010802", "LIFE", "生命科学楼", "C310", 30.2652, 120.1221, "tenant"),
            new Instrument("donghu", "DH-2016-0711", "气相色谱-质谱联用仪", "Gas chromatograph-mass spectrometer (GC-MS)", "7890B-5977B", "Agilent", "US", 980_000, "2016-07-11", "010201", "CHEM", "化学楼", "A210", 30.2636, 120.1236, "public"),
            new Instrument("xiling", "XL-2017-0045", "场发射扫描电子显微镜", "Field-emission scanning electron microscope", "SU8010", "Hitachi", "JP", 2_600_000, "2017-01-16", "010102", "EM-CENTER", "材料楼", "E108", 30.3125, 120.3441, "public"),
            new Instrument("xiling", "XL-2014-0288", "X射线衍射仪", "X-ray diffractometer (XRD)", "D8 ADVANCE", "Bruker", "DE", 1_450_000, "2014-06-30", "010301", "MSE", "材料楼", "E215", 30.3125, 120.3441, "public"),
            new Instrument("xiling", "XL-2020-0107", "X射线光电子能谱仪", "X-ray photoelectron spectrometer (XPS)", "ESCALAB Xi+", "Thermo Fisher", "US", 5_200_000, "2020-01-07", "010104", "EM-CENTER", "材料楼", "E120", 30.3125, 120.3441, "consortium"),
            new Instrument("xiling", "XL-2021-0630", "原子力显微镜", "Atomic force microscope (AFM)", "Dimension Icon", "Bruker", "US", 1_700_000, "2021-06-30", "010803", "MSE", "材料楼", "E221", 30.3125, 120.3441, "public"),
            new Instrument("xiling", "XL-2013-0912", "电感耦合等离子体质谱仪", "Inductively coupled plasma mass spectrometer (ICP-MS)", "iCAP RQ", "Thermo Fisher", "US", 1_300_000, "2013-09-12", "010202", "ENV", "环境楼", "F105", 30.3118, 120.3452, "network"),
            new Instrument("xiling", "XL-2021-0901", "500M核磁共振波谱仪", "500 MHz NMR spectrometer", "AVANCE NEO 500", "Bruker", "CH", 4_100_000, "2021-09-01", "010601", "MSE", "材料楼", "E108", 30.3127, 120.3445, "public"),
            new Instrument("xiling", "XL-2022-0418", "液相色谱-质谱联用仪", "Liquid chromatograph-mass spectrometer (LC-MS)", "Xevo TQ-XS", "Waters", "US", 450_000, "2022-04-18", "010201", "ENV", "环境楼", "F110", 30.3118, 120.3452, "private"));

    /** A stable id derived from a name, so the demo load is idempotent. */
    static UUID id(String... parts) {
        return UUID.nameUUIDFromBytes(("labcommons-demo:" + String.join("/", parts)).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        load();
    }

    /** Inserts whatever is missing; existing rows are left as they are. */
    public void load() {
        for (Tenant t : TENANTS) {
            rows.addTenant(id("tenant", t.slug()), t.slug(), t.kind(), t.nameZh(), t.nameEn(),
                    t.parent() == null ? null : id("tenant", t.parent()), t.region());
        }
        for (Tenant t : TENANTS) {
            TenantId tenant = new TenantId(id("tenant", t.slug()));
            tenantTransactions.inTenant(tenant, c -> {
                if ("institution".equals(t.kind()) && !devIdentityProvider.isBlank()) {
                    // each demo university signs its people in with its own issuer of the dev provider
                    rows.trustIssuer(tenant.value(), id("issuer", t.slug()),
                            devIdentityProvider.replaceAll("/$", "") + "/" + t.slug());
                }
                for (Unit u : UNITS) {
                    if (u.tenant().equals(t.slug())) {
                        rows.addUnit(tenant.value(), id("unit", u.tenant(), u.code()), u.kind(), u.code(), u.nameZh(),
                                u.nameEn(), u.level(), u.mode());
                    }
                }
                if ("institution".equals(t.kind())) {
                    for (String[] g : RATE_GROUPS) {
                        rateGroups.addIfAbsent(tenant.value(), id("rate-group", t.slug(), g[0]), g[0], g[1], g[2]);
                    }
                }
                List<InstrumentInput> inputs = INSTRUMENTS.stream().filter(i -> i.tenant().equals(t.slug()))
                        .map(DemoData::input).toList();
                List<InstrumentService.RowResult> results = instruments.upsertAll(c, AuditEntry.Actor.SYSTEM, inputs, true);
                results.stream().filter(r -> !r.ok()).findFirst().ifPresent(r -> {
                    throw new IllegalStateException("demo instrument " + inputs.get(r.index()).assetNumber()
                            + " is invalid: " + r.problems());
                });
                return null;
            });
        }
        loadRoles();
        LOG.info("demo data present: {} tenants, {} org units, {} instruments", TENANTS.size(), UNITS.size(), INSTRUMENTS.size());
    }

    /** The demo logins' accounts (keyed by issuer and subject, as a sign-in would create them) and their roles. */
    private void loadRoles() {
        if (devIdentityProvider.isBlank()) {
            return;
        }
        for (DemoRole r : ROLES) {
            String issuer = devIdentityProvider.replaceAll("/$", "") + "/" + r.issuer();
            accounts.createIfAbsent(id("user", r.issuer(), r.username()), issuer, r.username(), r.username(), null);
            UUID user = accounts.idOf(issuer, r.username()).orElseThrow();
            TenantId tenant = new TenantId(id("tenant", r.tenant()));
            tenantTransactions.inTenant(tenant, c -> roles.grant(tenant.value(),
                    id("role", r.tenant(), r.issuer(), r.username(), r.role()), user, r.role(),
                    r.unit() == null ? "tenant" : "org_unit", r.unit() == null ? null : id("unit", r.tenant(), r.unit()),
                    null));
        }
    }
}
