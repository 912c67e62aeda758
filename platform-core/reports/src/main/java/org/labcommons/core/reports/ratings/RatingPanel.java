package org.labcommons.core.reports.ratings;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentPagePanel;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The users' ratings on the catalogue's instrument page, for every viewer (also signed-out ones): how many rated,
 * the mean to one decimal, how many gave each score, and the latest comments with the staff's replies, never who
 * rated. The staff who manage the instrument also get a link to the reply page ({@link RatingPages}).
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
public record RatingPanel(Ratings ratings, RatingSettings settings, CatalogueAccess catalogue) implements InstrumentPagePanel {
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");

    @Override
    public Optional<Panel> panel(TenantProfile owner, Instrument instrument, @Nullable AuthenticatedUser viewer, boolean zh) {
        Rating.Summary summary = ratings.summary(owner.id(), instrument.id(), true, 0, Math.max(1, settings.getPanelComments()));
        ZoneId zone = ZoneId.of(owner.timeZone());
        Map<String, Object> model = new HashMap<>();
        model.put("aggregate", summary.aggregate());
        model.put("comments", settings.getPanelComments() == 0 ? java.util.List.of() : summary.comments().items());
        model.put("more", Math.max(0, summary.comments().total() - summary.comments().items().size()));
        model.put("dates", summary.comments().items().stream().collect(java.util.stream.Collectors.toMap(
                r -> r.id().toString(), r -> DAY.format(r.updatedAt().atZone(zone)))));
        boolean staff = viewer != null && viewer.actingTenant().equals(owner.id()) && catalogue.mayManage(viewer, instrument);
        model.put("staffHref", staff ? "/staff/instruments/" + instrument.id() + "/ratings" : "");
        long max = summary.aggregate().distribution().stream().mapToLong(Long::longValue).max().orElse(0);
        model.put("max", Math.max(1, max));
        return Optional.of(new Panel("ratings", 55, "reports/rating-panel", "ratings", model));
    }
}
