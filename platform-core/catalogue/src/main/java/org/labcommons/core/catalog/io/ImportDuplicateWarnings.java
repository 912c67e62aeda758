package org.labcommons.core.catalog.io;

import jakarta.inject.Singleton;
import org.labcommons.core.catalog.InstrumentInput;
import org.labcommons.core.catalog.LikelyDuplicates;
import org.labcommons.core.i18n.Messages;
import org.labcommons.core.tenancy.TenantId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The import preview's duplicate warnings: a row that is likely an instrument the institution already has
 * (another asset number, {@link LikelyDuplicates}' rules) or likely another row of the same file. A warning,
 * never a problem: it does not make a row invalid nor stop the commit. A row whose asset number names an
 * existing record updates it and is not its duplicate.
 */
@Singleton
public record ImportDuplicateWarnings(LikelyDuplicates duplicates, Messages messages) {

    /** One warning: the other record's id (null for another row of the file) and the sentence. */
    public record Warning(UUID otherId, Integer otherRow, String text) {
    }

    /** The warnings of the previewed rows, by row number (rows without any are absent). */
    public Map<Integer, List<Warning>> of(TenantId tenant, Locale locale, List<InstrumentImports.PreviewRow> rows) {
        boolean zh = Messages.supported(locale).getLanguage().equals("zh");
        List<LikelyDuplicates.Candidate> candidates = new ArrayList<>();
        for (InstrumentImports.PreviewRow r : rows) {
            InstrumentInput in = r.record();
            candidates.add(new LikelyDuplicates.Candidate(r.row(), in.assetNumber(), in.nameZh(), in.nameEn(), in.model(),
                    in.building(), in.room()));
        }
        Map<Integer, List<Warning>> out = new LinkedHashMap<>();
        duplicates.ofRows(tenant, candidates).forEach((row, found) -> {
            List<Warning> list = new ArrayList<>();
            for (LikelyDuplicates.Duplicate d : found) {
                String reason = messages.get(locale, "catalogue.duplicate.reason." + d.reason());
                String text = d.otherRow() != null
                        ? messages.get(locale, "importpage.duplicate.row").replace("{0}", d.otherRow().toString())
                        : messages.get(locale, "importpage.duplicate.existing")
                                .replace("{0}", d.assetNumber() + " " + d.name(zh));
                list.add(new Warning(d.id(), d.otherRow(), text.replace("{1}", reason)));
            }
            out.put(row, list);
        });
        return out;
    }
}
