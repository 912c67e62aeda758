package org.labcommons.tenantadmin.devices;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentQuery;
import org.labcommons.core.catalog.InstrumentService;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.web.PageForbiddenException;
import org.labcommons.core.web.Pages;
import org.labcommons.iot.devices.Device;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the device pages share: the layout's model with the institution's name and a formatter of
 * times in its zone ({@code fmt}), the names of the instruments devices are attached to, the
 * instrument picker, and the config file as a {@code data:} link.
 */
@Singleton
public record DeviceViews(Pages pages, TenantDirectory directory, InstrumentService instruments) {
    /** How many instruments the picker offers (by asset number). */
    static final int MAX_CHOICES = 1000;

    /** An instrument as the picker and the list name it. */
    public record Choice(UUID id, String label) {
    }

    /** Times in the tenant's zone, for templates: {@code ${fmt.time(d.lastSeenAt)}}. */
    public record Times(ZoneId zoneId) {
        private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

        public String time(@Nullable Instant at) {
            return at == null ? "—" : FORMAT.format(at.atZone(zoneId));
        }

        public String zone() {
            return zoneId.getId();
        }
    }

    /** Whether a model (of {@link #base}) is in Chinese. */
    public static boolean zh(Map<String, Object> model) {
        return Boolean.TRUE.equals(model.get("zh"));
    }

    /** The layout's model and the institution's name ({@code tenantName}) and times ({@code fmt}). */
    public Map<String, Object> base(HttpRequest<?> request, AuthenticatedUser user) {
        Map<String, Object> model = pages.model(request);
        boolean zh = Boolean.TRUE.equals(model.get("zh"));
        TenantDirectory.TenantProfile profile = directory.activeProfile(user.actingTenant().toString())
                .orElseThrow(() -> new PageForbiddenException(PageForbiddenException.SUSPENDED));
        model.put("tenantName", profile.name(zh));
        model.put("fmt", new Times(zone(profile.timeZone())));
        return model;
    }

    /** The instrument (asset number and name) each of {@code devices} is attached to, by instrument id. */
    public Map<UUID, String> attachments(TenantId tenant, List<Device> devices, boolean zh) {
        Set<UUID> ids = new LinkedHashSet<>();
        devices.stream().map(Device::instrumentId).filter(java.util.Objects::nonNull).forEach(ids::add);
        Map<UUID, String> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (UUID id : ids) {
            instruments.find(tenant, id).ifPresent(i -> out.put(id, label(i, zh)));
        }
        return out;
    }

    /** The tenant's instruments for the picker, by asset number. */
    public List<Choice> instrumentChoices(TenantId tenant, boolean zh) {
        return instruments.list(tenant, InstrumentQuery.all(0, MAX_CHOICES)).items().stream()
                .map(i -> new Choice(i.id(), label(i, zh))).toList();
    }

    /** The config file as a {@code data:} URL (base64), so the page offers it without storing it. */
    public static String dataLink(String json) {
        return "data:application/json;charset=utf-8;base64,"
                + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String label(Instrument i, boolean zh) {
        return i.assetNumber() + " " + (zh ? i.nameZh() : i.nameEn());
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (RuntimeException e) {
            return ZoneId.of("Asia/Shanghai");
        }
    }
}
