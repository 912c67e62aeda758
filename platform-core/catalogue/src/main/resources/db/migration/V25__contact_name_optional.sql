-- V25: a contact of an instrument needs a name, a phone number or an e-mail address, at least one
-- of them; the name alone is no longer required (asset registers often give only a shared phone
-- or mailbox, docs/catalogue-import.md). The application checks the same rule
-- (InstrumentValidation); this keeps a row without any way to reach anyone out of the table.
alter table instrument_contact alter column name drop not null;
alter table instrument_contact drop constraint instrument_contact_name_check;
alter table instrument_contact add constraint instrument_contact_name_check
    check (name is null or length(name) between 1 and 100);
alter table instrument_contact add constraint instrument_contact_reachable_check
    check (name is not null or phone is not null or email is not null);
