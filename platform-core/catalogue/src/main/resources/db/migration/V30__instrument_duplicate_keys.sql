-- V30: the instrument's likely-duplicate keys (docs/catalogue.md, "Likely duplicates"): its name, English
-- name, model and location as kernel V28's duplicate_key(), generated and stored, with trigram GIN indexes
-- (pg_trgm, btree_gin from V28) and a (tenant, model, location) index, each over the records not archived.
alter table instrument
    add column name_key     text generated always as (duplicate_key(name_zh)) stored,
    add column name_en_key  text generated always as (duplicate_key(name_en)) stored,
    add column model_key    text generated always as (duplicate_key(model)) stored,
    add column location_key text generated always as (duplicate_key(building) || duplicate_key(room)) stored;

create index instrument_name_key_trgm_idx on instrument using gin (tenant_id, name_key gin_trgm_ops)
    where archived_at is null;
create index instrument_name_en_key_trgm_idx on instrument using gin (tenant_id, name_en_key gin_trgm_ops)
    where archived_at is null;
create index instrument_model_location_idx on instrument (tenant_id, model_key, location_key)
    where archived_at is null;

