-- V14: iCalendar feeds of bookings and booking notifications (docs/booking.md, issue 6).
--   calendar_feed: a user's subscription link, "my bookings" or one instrument's bookings. Only the
--                  SHA-256 of the token is kept; the token itself carries the tenant it belongs to,
--                  so a feed request binds that tenant before it looks the hash up.
--   notification:  in-app notices per user (read/unread) and the e-mail each one owes: pending
--                  mails are sent after commit by a relay that retries until the SMTP server takes them.
-- A user's language for notices (null: zh-CN).

alter table user_account add column language text check (language in ('zh-CN', 'en'));

create table calendar_feed (
    tenant_id     uuid not null references tenant (id),
    id            uuid not null,
    user_id       uuid not null references user_account (id),
    kind          text not null check (kind in ('mine', 'instrument')),
    instrument_id uuid,
    token_hash    bytea not null check (length(token_hash) = 32),
    created_at    timestamptz not null default now(),
    rotated_at    timestamptz,
    revoked_at    timestamptz,
    primary key (tenant_id, id),
    foreign key (tenant_id, instrument_id) references instrument (tenant_id, id),
    check ((kind = 'instrument') = (instrument_id is not null))
);
create unique index calendar_feed_token_idx on calendar_feed (tenant_id, token_hash);
-- one live feed per user and target
create unique index calendar_feed_live_idx on calendar_feed (tenant_id, user_id, kind, coalesce(instrument_id, '00000000-0000-0000-0000-000000000000'::uuid))
    where revoked_at is null;
alter table calendar_feed enable row level security;
alter table calendar_feed force row level security;
create policy tenant_isolation on calendar_feed
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

create table notification (
    tenant_id        uuid not null references tenant (id),
    id               uuid not null,
    user_id          uuid not null references user_account (id),
    kind             text not null check (kind in ('booking.requested', 'booking.approved', 'booking.rejected',
                                                   'booking.cancelled', 'waitlist.offered', 'booking.reminder')),
    booking_id       uuid,
    offer_id         uuid,
    booking_version  bigint,
    params           jsonb not null default '{}'::jsonb,
    created_at       timestamptz not null default now(),
    read_at          timestamptz,
    email_to         text check (length(email_to) <= 320),
    email_language   text not null default 'zh-CN' check (email_language in ('zh-CN', 'en')),
    email_status     text not null check (email_status in ('pending', 'sent', 'failed', 'none')),
    email_attempts   integer not null default 0,
    email_next_at    timestamptz,
    email_sent_at    timestamptz,
    email_error      text check (length(email_error) <= 1000),
    primary key (tenant_id, id),
    check ((email_status = 'pending') = (email_next_at is not null))
);
create index notification_user_idx on notification (tenant_id, user_id, created_at desc);
create index notification_mail_idx on notification (tenant_id, email_next_at) where email_status = 'pending';
-- one reminder per booking version (the sweep may run in several instances and again)
create unique index notification_reminder_idx on notification (tenant_id, booking_id, user_id, booking_version)
    where kind = 'booking.reminder';
alter table notification enable row level security;
alter table notification force row level security;
create policy tenant_isolation on notification
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

create index booking_approved_start_idx on booking (tenant_id, starts_at) where status = 'approved';

grant select, insert, update on calendar_feed, notification to ${appRole};

-- For the SECURITY DEFINER sweep functions below only (they run as the owner, current_user here,
-- and FORCE ROW LEVEL SECURITY applies to the owner too): read-only; the functions select ids alone.
create policy relay_read on notification for select to current_user using (true);
create policy reminder_read on booking for select to current_user using (status = 'approved');

-- The mail relay finds pending mails across tenants before it knows any tenant: ids only, due at
-- or before `at`, oldest first, clamped row limit. Each is then sent from a transaction bound to its tenant.
create function notification_mail_due(at timestamptz, max_rows integer)
    returns table (tenant_id uuid, notification_id uuid)
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    select n.tenant_id, n.id from public.notification n
    where n.email_status = 'pending' and n.email_next_at <= at
    order by n.email_next_at, n.tenant_id, n.id
    limit greatest(1, least(max_rows, 1000))
$$;
revoke all on function notification_mail_due(timestamptz, integer) from public;
grant execute on function notification_mail_due(timestamptz, integer) to ${appRole};

-- The reminder sweep: approved bookings starting in (at, at + lead] without a reminder for their
-- current version; ids and version only. The reminder itself is written in the booking's tenant.
create function booking_reminders_due(at timestamptz, lead interval, max_rows integer)
    returns table (tenant_id uuid, booking_id uuid, booking_version bigint)
    language sql stable security definer
    set search_path = pg_catalog, public, pg_temp
as $$
    select b.tenant_id, b.id, b.version from public.booking b
    where b.status = 'approved' and b.starts_at > at and b.starts_at <= at + least(lead, interval '30 days')
      and not exists (select 1 from public.notification n where n.tenant_id = b.tenant_id
                      and n.booking_id = b.id and n.kind = 'booking.reminder' and n.booking_version = b.version)
    order by b.starts_at, b.tenant_id, b.id
    limit greatest(1, least(max_rows, 1000))
$$;
revoke all on function booking_reminders_due(timestamptz, interval, integer) from public;
grant execute on function booking_reminders_due(timestamptz, interval, integer) to ${appRole};

-- The waitlist is served oldest first; entries made at the same instant (the booking clock is
-- fixed in tests, and microseconds can tie) are served in the order they were inserted.
alter table booking_waitlist add column seq bigint generated always as identity;
