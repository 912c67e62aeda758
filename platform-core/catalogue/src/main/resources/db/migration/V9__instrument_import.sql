-- V9: instrument imports (issue 4, "Import"). An uploaded asset-register file is kept, tenant-
-- scoped, for 24 hours while its owner maps its columns, previews, dry-runs and commits it
-- (docs/catalogue-import.md). The bytes stay here so every step reads the same file; nothing in
-- it is ever evaluated. Expired uploads are invisible to every read and are deleted by the next
-- upload of the same tenant.
create table import_upload (
    tenant_id           uuid not null references tenant (id),
    id                  uuid not null,
    file_name           text not null check (length(file_name) between 1 and 255),
    format              text not null check (format in ('xlsx', 'csv')),
    encoding            text,
    separator           text,
    size_bytes          integer not null check (size_bytes > 0),
    sha256              text not null,
    content             bytea not null,
    header              jsonb not null,
    header_row          integer not null,
    row_count           integer not null check (row_count >= 0),
    mapping             jsonb,
    status              text not null default 'uploaded'
                        check (status in ('uploaded', 'mapped', 'checked', 'committed')),
    last_report         jsonb,
    uploaded_by_issuer  text,
    uploaded_by_subject text not null,
    created_at          timestamptz not null default now(),
    expires_at          timestamptz not null,
    committed_at        timestamptz,
    primary key (tenant_id, id)
);
create index import_upload_expiry_idx on import_upload (tenant_id, expires_at);

alter table import_upload enable row level security;
alter table import_upload force row level security;
create policy tenant_isolation on import_upload
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update, delete on import_upload to ${appRole};
