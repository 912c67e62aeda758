-- V15: sample requests (送样, docs/samples.md). A user sends samples to an instrument's staff, who
-- accept or reject them, receive them, run the test, upload the results and close the request.
-- Stored in the instrument's tenant (like booking); the requester may belong to another tenant
-- (requester_tenant_id, their home). Every state change is a sample_request_event row, an audit
-- entry and a sample.v1 outbox event in the same transaction.

create table sample_request (
    tenant_id           uuid not null references tenant (id),
    id                  uuid not null,
    instrument_id       uuid not null,
    service_id          uuid,
    service_name_zh     text check (length(service_name_zh) <= 200),
    service_name_en     text check (length(service_name_en) <= 200),
    requester_user_id   uuid not null references user_account (id),
    requester_tenant_id uuid not null references tenant (id),
    account_code        text check (length(account_code) between 1 and 64),
    rate_group          text not null check (rate_group ~ '^[a-z][a-z0-9_]{1,31}$'),
    sample_count        integer not null check (sample_count between 1 and 1000),
    items               text[] not null check (cardinality(items) between 1 and 20),
    sample_info         text not null check (length(sample_info) between 1 and 4000),
    hazards             text[] not null check (cardinality(hazards) between 1 and 8
                            and hazards <@ array['none', 'toxic', 'flammable', 'corrosive', 'oxidising', 'explosive',
                                                 'radioactive', 'biohazard']::text[]
                            and not ('none' = any (hazards) and cardinality(hazards) > 1)),
    safety_notes        text check (length(safety_notes) <= 2000),
    status              text not null check (status in ('submitted', 'accepted', 'rejected', 'received', 'in_progress',
                                                        'results_ready', 'closed', 'withdrawn', 'cancelled')),
    reason              text check (length(reason) <= 1000),      -- why rejected or cancelled
    received_count      integer check (received_count between 0 and 1000),
    receipt_note        text check (length(receipt_note) <= 1000), -- condition of the samples on arrival
    submitted_at        timestamptz not null,
    accepted_at         timestamptz,
    rejected_at         timestamptz,
    received_at         timestamptz,
    started_at          timestamptz,
    results_ready_at    timestamptz,
    closed_at           timestamptz,
    withdrawn_at        timestamptz,
    cancelled_at        timestamptz,
    version             bigint not null default 1,
    updated_at          timestamptz not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id),
    -- a service renamed keeps the request's copy of its names; a service removed leaves them
    foreign key (tenant_id, instrument_id, service_id)
        references instrument_service (tenant_id, instrument_id, id) on delete set null (service_id),
    check ((status = 'rejected') = (rejected_at is not null)),
    check (status <> 'rejected' or reason is not null),
    check (status <> 'cancelled' or reason is not null)
);
create index sample_request_requester_idx on sample_request (tenant_id, requester_user_id, submitted_at desc);
create index sample_request_instrument_idx on sample_request (tenant_id, instrument_id, status, submitted_at desc);
create index sample_request_status_idx on sample_request (tenant_id, status, submitted_at desc);

-- The history: one row per state change (from null on submission).
create table sample_request_event (
    tenant_id     uuid not null references tenant (id),
    id            uuid not null,
    request_id    uuid not null,
    from_status   text,
    to_status     text not null,
    actor_user_id uuid references user_account (id),
    at            timestamptz not null,
    note          text check (length(note) <= 1000),
    primary key (tenant_id, id),
    foreign key (tenant_id, request_id) references sample_request (tenant_id, id) on delete cascade
);
create index sample_request_event_request_idx on sample_request_event (tenant_id, request_id, at);

-- Results and reports, in the database (bytea) like instrument documents; limits in SampleSettings.
create table sample_result_file (
    tenant_id     uuid not null references tenant (id),
    id            uuid not null,
    request_id    uuid not null,
    file_name     text not null check (length(file_name) between 1 and 255),
    content_type  text not null check (length(content_type) between 1 and 200),
    size_bytes    bigint not null check (size_bytes > 0),
    sha256        text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    content       bytea not null,
    uploaded_by   uuid references user_account (id),
    uploaded_at   timestamptz not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, request_id) references sample_request (tenant_id, id) on delete cascade
);
create index sample_result_file_request_idx on sample_result_file (tenant_id, request_id, uploaded_at);

alter table sample_request enable row level security;
alter table sample_request force row level security;
create policy tenant_isolation on sample_request
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
alter table sample_request_event enable row level security;
alter table sample_request_event force row level security;
create policy tenant_isolation on sample_request_event
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
alter table sample_result_file enable row level security;
alter table sample_result_file force row level security;
create policy tenant_isolation on sample_result_file
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update on sample_request, sample_request_event, sample_result_file to ${appRole};

-- Notifications (V14) take the sample kinds; sample_request_id says which request a notice is about.
alter table notification add column sample_request_id uuid;
alter table notification drop constraint notification_kind_check;
alter table notification add constraint notification_kind_check check (kind in ('booking.requested',
    'booking.approved', 'booking.rejected', 'booking.cancelled', 'waitlist.offered', 'booking.reminder',
    'sample.submitted', 'sample.accepted', 'sample.rejected', 'sample.results_ready'));
