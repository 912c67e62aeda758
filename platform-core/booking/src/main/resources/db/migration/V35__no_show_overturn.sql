-- V35: staff overturn a no-show (docs/booking.md, "No-shows"; the usage module marks no-shows on its own
-- when an instrument's device reported during a booking and no usage session was measured, docs/usage.md).
-- An overturned booking is approved again and keeps when and by whom and why the no-show was overturned;
-- the usage module's no-show sweep leaves such a booking alone. The block the no-show helped to cause is
-- deleted (the audit entry of the overturn keeps what it was), so the no-shows counted toward the next block
-- are again those since the block before it.
alter table booking
    add column no_show_overturned_at   timestamptz,
    add column no_show_overturned_by   uuid references user_account (id),
    add column no_show_overturn_reason text check (length(no_show_overturn_reason) between 1 and 1000);

-- The usage module's sweep asks each tenant for approved and checked-in bookings that ended in its window.
create index booking_ended_idx on booking (tenant_id, ends_at) where status in ('approved', 'checked_in');

grant delete on booking_block to ${appRole};
