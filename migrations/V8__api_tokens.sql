-- API tokens. Only a token's SHA-256 is kept: the token itself is shown once, when it is created.
-- Tokens are 256-bit random strings, so a plain hash (no salt, no slow KDF) is enough to make a stolen
-- table useless for signing in.
CREATE TABLE api_token (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT        NOT NULL,                 -- who or what holds it ("ci", "alice", "gpu-pool")
    role         TEXT        NOT NULL CHECK (role IN ('viewer', 'operator', 'admin', 'worker')),
    token_hash   BYTEA       NOT NULL UNIQUE,          -- SHA-256 of the token's UTF-8 bytes
    prefix       TEXT        NOT NULL,                 -- the token's first characters, to tell tokens apart
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,                          -- updated at most once a minute
    revoked_at   TIMESTAMPTZ                           -- a revoked token signs nobody in
);
