-- V45: single settlement and the remaining gaps of issue 17 (docs/billing.md "Single settlement" and "Subsidies and
-- vouchers", platform-core/billing/README.md). Code: platform-core/billing org.labcommons.core.billing.single,
-- billing.subsidies (FundShares), billing.interinst (HomePayables).
--
-- invoice_request: for a charge posted to a payer account that settles singly (payer_account.settlement 'single':
--   internal single settlement and external single settlement), finance staff record the request for an invoice:
--   who it is for (organisation, tax id), the amount (what the account owes for that charge, in fen) and its items
--   (JSON, as requested); requested -> issued (with the invoice number) or cancelled (with a reason); an issued
--   request may still be cancelled (a red-letter invoice is the finance system's business). At most one request per
--   charge is not cancelled. Every change is audited and emitted on billing.account.v1.
-- subsidy_fund.covers_outside: whether an open-testing fund period also pays its share of what the institution owes
--   another institution for its own users' charges there (interinst_payable, posted by HomePayables). Default false:
--   the seeds speak of internal users' fees at the institution's own instruments; a fund covers outside services only
--   when its managers say so. interinst_payable.fund_fen: the fund's part of that home posting.

create table invoice_request (
    tenant_id      uuid not null default app_tenant() references tenant (id),
    id             uuid not null,
    payer_id       uuid not null,
    charge_id      uuid not null,
    organisation   text not null check (length(organisation) between 1 and 200),
    tax_id         text check (tax_id ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    amount_fen     bigint not null check (amount_fen > 0),
    items          jsonb not null,
    status         text not null default 'requested' check (status in ('requested', 'issued', 'cancelled')),
    invoice_number text check (length(invoice_number) between 1 and 64),
    note           text check (length(note) <= 1000),
    requested_by   uuid references user_account (id),
    requested_at   timestamptz not null default now(),
    issued_by      uuid references user_account (id),
    issued_at      timestamptz,
    cancelled_by   uuid references user_account (id),
    cancelled_at   timestamptz,
    cancel_reason  text check (length(cancel_reason) <= 1000),
    version        bigint not null default 1,
    primary key (tenant_id, id),
    foreign key (tenant_id, payer_id) references payer_account (tenant_id, id),
    check (status <> 'issued' or (invoice_number is not null and issued_at is not null)),
    check (status <> 'cancelled' or cancelled_at is not null)
);
create unique index invoice_request_live_key on invoice_request (tenant_id, charge_id) where status <> 'cancelled';
create index invoice_request_payer_idx on invoice_request (tenant_id, payer_id, requested_at desc);
create index invoice_request_status_idx on invoice_request (tenant_id, status, requested_at desc);

alter table invoice_request enable row level security;
alter table invoice_request force row level security;
create policy tenant_isolation on invoice_request using (tenant_id = app_tenant()) with check (tenant_id = app_tenant());
grant select, insert, update on invoice_request to ${appRole};

alter table subsidy_fund add column covers_outside boolean not null default false;
alter table interinst_payable add column fund_fen bigint not null default 0;

-- voucher.expired_noted_at: when VoucherExpirySweep emitted the voucher's voucher.expired event (once per voucher).
alter table voucher add column expired_noted_at timestamptz;
