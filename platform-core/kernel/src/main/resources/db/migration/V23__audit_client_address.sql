-- V23: each audit entry names the client address the request came from, as ClientAddresses
-- resolved it (the socket peer, or what a trusted proxy forwarded; never a header an untrusted
-- peer wrote). Null for changes the platform makes itself (start-up, scheduled work, consumers).
alter table audit_event add column client_address text
    check (client_address is null or length(client_address) <= 64);
