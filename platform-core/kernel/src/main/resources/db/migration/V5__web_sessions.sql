-- V5: browser sessions (authorization code + PKCE login). Global by nature: a session belongs to
-- a person (issuer, subject), not to a tenant; the tenant a page acts in is decided per request
-- from that person's memberships. Only hashes of session ids and login states are stored.

create table web_login_attempt (
    state_hash    text primary key,
    code_verifier text not null,
    nonce         text not null,
    issuer        text not null,
    return_to     text not null,
    created_at    timestamptz not null default now()
);
create index web_login_attempt_age_idx on web_login_attempt (created_at);

create table web_session (
    id_hash      text primary key,
    issuer       text not null,
    subject      text not null,
    display_name text,
    csrf_token   text not null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null
);
create index web_session_expiry_idx on web_session (expires_at);

grant select, insert, delete on web_login_attempt to ${appRole};
grant select, insert, update, delete on web_session to ${appRole};
