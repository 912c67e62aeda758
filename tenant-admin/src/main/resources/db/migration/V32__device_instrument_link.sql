-- V32: a device attached to an instrument names one of its own tenant's instruments. iot-bridge's
-- V31 cannot say so (its schema has no catalogue); tenant-admin, which has both, adds the key here.
-- Both tables are keyed (tenant_id, id), so the foreign key includes the tenant: a device can never
-- point at another tenant's instrument, whatever id it is given. Instruments are archived, never
-- deleted, so the default (no action) is right.
alter table devices
    add constraint devices_instrument_fk foreign key (tenant_id, instrument_id) references instrument (tenant_id, id);
