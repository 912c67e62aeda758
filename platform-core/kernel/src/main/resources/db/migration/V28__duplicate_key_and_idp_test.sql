-- V28: the keys likely duplicates are compared by (docs/catalogue.md, "Likely duplicates"; tenant-admin: applications naming an institution
-- that exists or applied) and the passed identity-provider test of an onboarding application. Names, model and location are compared
-- as keys: NFKC (full-width letters, digits and punctuation become their ASCII forms), lower case, and
-- without white space or punctuation (ASCII, general punctuation, CJK symbols and punctuation, full-width
-- forms). Names are compared by trigram similarity (pg_trgm; CJK characters count as word characters
-- under any UTF-8 ctype other than C, e.g. C.UTF-8), through GIN indexes that lead with tenant_id
-- (btree_gin). Both extensions are trusted: the database owner creates them.
create extension if not exists pg_trgm;
create extension if not exists btree_gin;

create function duplicate_key(value text) returns text
    language sql immutable parallel safe
    return lower(regexp_replace(normalize(coalesce(value, ''), NFKC),
        '[\s!-/:-@\[-`{-~\u00a0-\u00bf\u2000-\u206f\u2e00-\u2e7f\u3000-\u303f\u30fb\ufe10-\ufe1f\ufe30-\ufe6f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]',
        '', 'g'));

-- Onboarding: "approve and provision" needs a passed test of the application's identity provider
-- (tenant-admin's IdentityProviderCheck). The issuer tested is kept with the time it passed, so a test
-- of an issuer the application no longer names does not count.
alter table onboarding_application
    add column idp_tested_issuer   text,
    add column idp_test_passed_at  timestamptz;
