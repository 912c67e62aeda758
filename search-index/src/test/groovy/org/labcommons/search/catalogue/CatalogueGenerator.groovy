package org.labcommons.search.catalogue

import groovy.transform.CompileStatic
import org.labcommons.search.catalogue.InstrumentType.Model
import org.labcommons.search.catalogue.InstrumentType.ServiceDef

import java.math.RoundingMode
import java.nio.charset.StandardCharsets
import java.time.LocalDate

/**
 * A realistic, reproducible consortium: a consortium operator, provincial sharing networks and
 * member institutions across Chinese university cities, each with the org units and instruments
 * its profile suggests (a medical university has flow cytometers and confocals, a university of
 * technology SEMs and testing machines). Everything follows from {@code seed}; {@code tag} only
 * names the tenants (slugs and ids), so one JVM can hold several catalogues.
 *
 * <p>Sharing scopes are mostly public, some consortium or network, some tenant-only or private
 * (which must never be found by visitors); a few records are archived; one institution (index 3,
 * when there are at least five) is suspended.
 */
@CompileStatic
class CatalogueGenerator {
    static final int SUSPENDED_INDEX = 3
    private static final List<String> ROOM_WINGS = ['A', 'B', 'C', '']

    final long seed
    final String tag

    CatalogueGenerator(long seed, String tag) {
        assert tag ==~ /[a-z0-9]{1,20}/
        this.seed = seed
        this.tag = tag
    }

    @CompileStatic
    static class GeneratedTenant {
        UUID id
        int index
        String slug, kind, nameZh, nameEn, regionCode, status, profile, assetPrefix
        UUID parentId
        Places.City city
        double lat, lon
        List<String> units = []

        boolean active() { status == 'active' }
    }

    @CompileStatic
    static class GeneratedInstrument {
        UUID id
        GeneratedTenant tenant
        InstrumentType type
        Model model
        String assetNumber, nameZh, nameEn, manufacturer, country, classificationCode, unitCode, building, room
        long valueFen
        LocalDate purchased
        BigDecimal lat, lon
        String status, purpose, scope, exemption, descZh, descEn
        int ratedHours
        boolean fundSubsidised, benefitEvaluation, sharedPlatform, listedInCers, customsSupervised, archived
        List<ServiceDef> services = []

        /** What a visitor (no token) may find: public, not archived, owner an active institution. */
        boolean visibleToVisitor() { scope == 'public' && !archived && tenant.active() }

        /** What a signed-in member of the consortium may find. */
        boolean published() { scope in ['public', 'consortium', 'network'] && !archived && tenant.active() }

        String key() { type.key }

        String modelName() { model.model }

        String maker() { model.maker }

        Integer mhz() { model.mhz }

        Set<String> tags() { model.tags }
    }

    /** The consortium root, one network per province used, and {@code institutions} institutions. */
    List<GeneratedTenant> tenants(int institutions) {
        Random rnd = new Random(seed)
        List<GeneratedTenant> out = []
        def root = new GeneratedTenant(id: id('tenant', 'consortium'), index: -1, slug: "${tag}-consortium".toString(),
                kind: 'consortium', nameZh: "全国科研仪器共享联盟（${tag}）".toString(),
                nameEn: "National Instrument Sharing Consortium (${tag})".toString(), status: 'active')
        out << root
        Map<String, GeneratedTenant> networks = [:]
        Set<String> names = []
        List<Double> kindWeights = [3d, 2d, 1.5d, 1d, 1.5d, 1d, 1d, 0.6d, 0.6d, 0.6d]
        for (int i = 0; i < institutions; i++) {
            Places.City city = Places.CITIES[i % Places.CITIES.size()]
            int round = i.intdiv(Places.CITIES.size())
            List<String> prefix = city.prefixes[round % city.prefixes.size()]
            int kind = pick(rnd, kindWeights)
            while (!names.add(prefix[0] + Places.KINDS[kind][0])) {
                kind = (kind + 1) % Places.KINDS.size()
            }
            List<String> k = Places.KINDS[kind]
            String province = city.provinceCode()
            GeneratedTenant network = networks.computeIfAbsent(province) { String p ->
                List<String> pn = Places.PROVINCES[p]
                def n = new GeneratedTenant(id: id('tenant', 'network', p), index: -2, slug: "${tag}-net-${p.substring(0, 2)}".toString(),
                        kind: 'network', nameZh: "${pn[0]}大型科学仪器设备共享网".toString(),
                        nameEn: "${pn[1]} Large Instrument Sharing Network".toString(), parentId: root.id, regionCode: p,
                        status: 'active')
                out << n
                n
            }
            String profile = k[2]
            def t = new GeneratedTenant(id: id('tenant', 'institution', String.valueOf(i)), index: i,
                    slug: String.format('%s-i%03d', tag, i), kind: 'institution',
                    nameZh: prefix[0] + k[0], nameEn: String.format(k[1], prefix[1]), parentId: network.id,
                    regionCode: city.regionCode, status: institutions >= 5 && i == SUSPENDED_INDEX ? 'suspended' : 'active',
                    profile: profile, city: city,
                    assetPrefix: (prefix[1].replaceAll(/[^A-Za-z]/, '').take(2) + k[0].length()).toUpperCase(),
                    lat: city.lat + (rnd.nextDouble() - 0.5) * 0.12, lon: city.lon + (rnd.nextDouble() - 0.5) * 0.12)
            t.units = new ArrayList<>(Places.PROFILE_UNITS[profile])
            if (t.units.contains('NMR') && rnd.nextDouble() < 0.5) {
                t.units.remove('NMR') // not every chemistry school has its own NMR lab
            }
            out << t
        }
        out
    }

    /** How many instruments each institution holds (large ones first, a long tail after). */
    static List<Integer> counts(int institutions, int instruments) {
        List<Double> w = (0..<institutions).collect { int i -> 1d / Math.sqrt(i + 1d) }
        double sum = (double) w.sum()
        List<Integer> c = w.collect { double x -> (int) Math.floor(instruments * x / sum) }
        int rest = instruments - (int) c.sum()
        for (int i = 0; i < rest; i++) {
            c[i % institutions] = c[i % institutions] + 1
        }
        c
    }

    /** The instruments of institution {@code t}: the same for the same seed, tenant index and count. */
    List<GeneratedInstrument> instruments(GeneratedTenant t, int count) {
        Random rnd = new Random(seed * 1_000_003L + t.index * 7_919L + 17L)
        Map<String, Double> fields = Places.PROFILE_FIELDS[t.profile]
        List<InstrumentType> types = InstrumentTypes.ALL
        List<Double> typeWeights = types.collect { InstrumentType it -> it.weight * fields[it.field] }
        Map<String, Integer> perYear = [:]
        List<GeneratedInstrument> out = new ArrayList<>(count)
        for (int n = 0; n < count; n++) {
            InstrumentType type = types[pick(rnd, typeWeights)]
            Model m = type.models[pick(rnd, type.models.collect { it.weight })]
            def g = new GeneratedInstrument(id: id('instrument', String.valueOf(t.index), String.valueOf(n)), tenant: t,
                    type: type, model: m)
            int year = 2005 + (int) Math.floor(Math.sqrt(rnd.nextDouble()) * 20) // more recent purchases
            g.purchased = LocalDate.of(year, 1 + rnd.nextInt(12), 1 + rnd.nextInt(28))
            int seq = (perYear[String.valueOf(year)] ?: 0) + 1
            perYear[String.valueOf(year)] = seq
            g.assetNumber = t.assetPrefix + '-' + year + '-' + String.valueOf(10000 + seq).substring(1)
            long yuan = m.minYuan + (long) (rnd.nextDouble() * (m.maxYuan - m.minYuan))
            g.valueFen = Math.round(yuan / 100d) * 100L * 100L
            g.nameZh = nameZh(rnd, type, m)
            g.nameEn = rnd.nextDouble() < 0.04 ? g.nameZh : fill(randomOf(rnd, type.namesEn(m)).text, m) // untranslated
            List<String> spellings = InstrumentTypes.MAKER_SPELLINGS[m.maker]
            g.manufacturer = randomOf(rnd, spellings)
            g.country = InstrumentTypes.MAKER_COUNTRY[m.maker]
            g.classificationCode = rnd.nextDouble() < 0.05 ? m.code.substring(0, 4) + '00' : m.code // broad class only
            g.unitCode = type.units.find { t.units.contains(it) } ?: t.units[0]
            List<Object> unit = Places.UNITS[g.unitCode]
            g.building = (String) unit[5]
            g.room = ROOM_WINGS[rnd.nextInt(4)] + (1 + rnd.nextInt(5)) + String.valueOf(101 + rnd.nextInt(30)).substring(1)
            g.lat = BigDecimal.valueOf(t.lat + (rnd.nextDouble() - 0.5) * 0.006).setScale(6, RoundingMode.HALF_UP)
            g.lon = BigDecimal.valueOf(t.lon + (rnd.nextDouble() - 0.5) * 0.006).setScale(6, RoundingMode.HALF_UP)
            double s = rnd.nextDouble()
            g.status = s < 0.86 ? 'in_service' : s < 0.91 ? 'under_repair' : s < 0.97 ? 'idle' : 'retired'
            g.purpose = rnd.nextDouble() < 0.85 ? 'general' : 'special'
            g.ratedHours = 1200 + rnd.nextInt(12) * 100
            double sc = rnd.nextDouble()
            g.scope = sc < 0.58 ? 'public' : sc < 0.70 ? 'consortium' : sc < 0.80 ? 'network' : sc < 0.93 ? 'tenant' : 'private'
            g.exemption = g.scope == 'private' && g.valueFen >= 50_000_000L ? 'special_purpose' : null
            g.benefitEvaluation = g.valueFen >= 40_000_000L
            g.fundSubsidised = rnd.nextDouble() < 0.2
            g.sharedPlatform = g.scope != 'private' && g.scope != 'tenant'
            g.listedInCers = g.scope == 'public' && rnd.nextDouble() < 0.5
            g.customsSupervised = g.country != 'CN' && g.valueFen >= 100_000_000L && rnd.nextDouble() < 0.3
            g.archived = rnd.nextDouble() < 0.02
            if (rnd.nextDouble() < 0.55) {
                List<InstrumentType.Named> zh = type.descZh.findAll { it.fits(m) }
                if (zh) {
                    int d = rnd.nextInt(zh.size())
                    g.descZh = zh[d].text
                    g.descEn = type.descEn.findAll { it.fits(m) }[d].text
                }
            }
            List<ServiceDef> offered = type.servicesFor(m)
            int keep = Math.min(offered.size(), 1 + rnd.nextInt(Math.max(1, offered.size())) + (offered.size() > 2 ? 1 : 0))
            List<ServiceDef> shuffled = new ArrayList<>(offered)
            Collections.shuffle(shuffled, rnd)
            Set<ServiceDef> chosen = shuffled.take(keep) as Set
            g.services = offered.findAll { chosen.contains(it) }
            out << g
        }
        out
    }

    /** How owners name it: a listed variant; sometimes with the model or the maker attached. */
    private static String nameZh(Random rnd, InstrumentType type, Model m) {
        String base = fill(randomOf(rnd, type.namesZh(m)).text, m)
        double r = rnd.nextDouble()
        if (r < 0.08) {
            return base + (rnd.nextBoolean() ? m.model : '（' + m.model + '）')
        }
        if (r < 0.12) {
            return InstrumentTypes.makerZh(m.maker) + base
        }
        base
    }

    private static String fill(String text, Model m) {
        m.mhz == null ? text : text.replace('{mhz}', String.valueOf(m.mhz))
    }

    private static <T> T randomOf(Random rnd, List<T> list) {
        list[rnd.nextInt(list.size())]
    }

    private static int pick(Random rnd, List<Double> weights) {
        double total = 0
        for (double w : weights) {
            total += w
        }
        double x = rnd.nextDouble() * total
        for (int i = 0; i < weights.size(); i++) {
            x -= weights[i]
            if (x < 0) {
                return i
            }
        }
        weights.size() - 1
    }

    UUID id(String... parts) {
        UUID.nameUUIDFromBytes(("labcommons-catalogue:${tag}:${seed}/" + parts.join('/')).getBytes(StandardCharsets.UTF_8))
    }
}
