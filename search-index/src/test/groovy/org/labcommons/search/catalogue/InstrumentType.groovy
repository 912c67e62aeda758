package org.labcommons.search.catalogue

import groovy.transform.CompileStatic

/**
 * One kind of instrument as Chinese university platforms list it: the names owners really give it
 * (Chinese and English, with their variants), the national classification code that fits, real
 * manufacturers and model numbers, a realistic range of original values, the services (测试项目)
 * offered and where in a university it usually stands. Relevance labels refer to {@link #key}, to
 * a model's tags (e.g. {@code fe} for a field-emission SEM) and to its field strength.
 */
@CompileStatic
class InstrumentType {
    /** Stable key used by the relevance labels, e.g. {@code tem}, {@code nmr}. */
    final String key
    /** NRII classification code (platform-core reference/nrii-classification.csv). */
    final String code
    /** Broad field, used to weight types by an institution's profile: mat, chem, bio, phys, gen. */
    final String field
    /** Relative frequency on a typical university platform. */
    final double weight
    final long minYuan
    final long maxYuan
    /** Org-unit codes where such an instrument usually stands (first match in the institution wins). */
    final List<String> units
    final List<Named> zh = []
    final List<Named> en = []
    final List<Model> models = []
    final List<ServiceDef> services = []
    final List<Named> descZh = []
    final List<Named> descEn = []

    InstrumentType(String key, String code, String field, double weight, long minYuan, long maxYuan, List<String> units) {
        this.key = key
        this.code = code
        this.field = field
        this.weight = weight
        this.minYuan = minYuan
        this.maxYuan = maxYuan
        this.units = units
    }

    /** A Chinese name; {@code tag} limits it to models carrying that tag; {mhz} is the field strength. */
    void zh(String text, String tag = null) { zh << new Named(text, tag) }

    void en(String text, String tag = null) { en << new Named(text, tag) }

    /**
     * A model. {@code tags}: space-separated (e.g. "fe", "solid", "msms"); options: {@code mhz},
     * {@code min}/{@code max} (yuan, overriding the type's range), {@code code} (classification).
     */
    void model(String maker, String modelName, String tags = '') {
        model([:], maker, modelName, tags)
    }

    void model(Map opts, String maker, String modelName, String tags = '') {
        models << new Model(maker, modelName, tags.split(' ').findAll { it } as Set<String>, (Integer) opts.mhz,
                (opts.min ?: minYuan) as long, (opts.max ?: maxYuan) as long, (String) (opts.code ?: code),
                (opts.weight ?: 1d) as double)
    }

    void service(String zh, String en, String sample, String tag = null) {
        services << new ServiceDef(zh, en, sample, tag)
    }

    /** A description pair (used for about half the records); {model} and {maker} are filled in. */
    void desc(String zh, String en, String tag = null) {
        descZh << new Named(zh, tag)
        descEn << new Named(en, tag)
    }

    private final Map<Model, List<Named>> zhCache = new IdentityHashMap<>()
    private final Map<Model, List<Named>> enCache = new IdentityHashMap<>()
    private final Map<Model, List<ServiceDef>> serviceCache = new IdentityHashMap<>()

    /** Names that fit {@code m}. */
    synchronized List<Named> namesZh(Model m) { zhCache.computeIfAbsent(m) { zh.findAll { it.fits(m) } } }

    synchronized List<Named> namesEn(Model m) { enCache.computeIfAbsent(m) { en.findAll { it.fits(m) } } }

    synchronized List<ServiceDef> servicesFor(Model m) {
        serviceCache.computeIfAbsent(m) { services.findAll { new Named(it.zh, it.tag).fits(m) } }
    }

    @Override
    String toString() { key }

    /** A text that applies to every model ({@code tag} null) or to models with that tag ("!x": without it). */
    @CompileStatic
    static class Named {
        final String text
        final String tag

        Named(String text, String tag) {
            this.text = text
            this.tag = tag
        }

        boolean fits(Model m) {
            if (tag == null) {
                return true
            }
            tag.startsWith('!') ? !m.tags.contains(tag.substring(1)) : m.tags.contains(tag)
        }
    }

    @CompileStatic
    static class Model {
        final String maker
        final String model
        final Set<String> tags
        final Integer mhz
        final long minYuan
        final long maxYuan
        final String code
        final double weight

        Model(String maker, String model, Set<String> tags, Integer mhz, long minYuan, long maxYuan, String code, double weight) {
            this.maker = maker
            this.model = model
            this.tags = tags
            this.mhz = mhz
            this.minYuan = minYuan
            this.maxYuan = maxYuan
            this.code = code
            this.weight = weight
        }
    }

    @CompileStatic
    static class ServiceDef {
        final String zh
        final String en
        final String sample
        final String tag

        ServiceDef(String zh, String en, String sample, String tag) {
            this.zh = zh
            this.en = en
            this.sample = sample
            this.tag = tag
        }
    }
}
