-- Dashboard sign-in sessions. The browser's cookie holds a random session id; only its SHA-256 is kept
-- here, as for tokens (V8). A session belongs to the token it was started with: revoking the token ends
-- it (access.TokenService), deleting the token deletes it. Expiry (idle and absolute) is checked by
-- access.SessionService against chorus.sessions.idle-timeout and chorus.sessions.max-age.
CREATE TABLE dashboard_session (
    id           BIGSERIAL PRIMARY KEY,
    session_hash BYTEA       NOT NULL UNIQUE,          -- SHA-256 of the session id in the cookie
    token_id     BIGINT      REFERENCES api_token (id) ON DELETE CASCADE, -- null: the configured admin token
    token_hash   BYTEA       NOT NULL,                 -- SHA-256 of the token it was started with
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL                  -- updated at most once a minute
);
CREATE INDEX dashboard_session_token ON dashboard_session (token_id);
