-- The approval kit: what `xpmkit readiness`, `evidence` and the admin app keep.
-- Numbered 0005 so that it follows 0002-0004 (jobs windows, leases, contact links by contact).

-- Readiness items someone marked done by hand, with when and why. Unmarking deletes the row;
-- both are logged in `audit_log`.
CREATE TABLE readiness_marks (
    item TEXT PRIMARY KEY,
    marked_at TEXT NOT NULL,
    marked_by TEXT NOT NULL,
    note TEXT
);

-- Contract-suite runs (`xpmkit verify`): on which profile, when, how many checks passed and
-- failed, and where the report was written.
CREATE TABLE verify_runs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile TEXT NOT NULL,
    tenant_id TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    passed BIGINT NOT NULL,
    failed BIGINT NOT NULL,
    report_path TEXT
);
CREATE INDEX verify_runs_profile ON verify_runs (profile, id);

-- The audit log, chained by hash: each entry's hash is SHA-256 over the previous entry's hash
-- and its own fields, so an entry edited or removed in the middle breaks every hash after it.
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- Security settings the admin app honours (MFA policy, sessions, retention, TLS), one row each.
CREATE TABLE security_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The admin app's users: their role and whether a TOTP authenticator is enrolled. No password or
-- TOTP secret is kept here.
CREATE TABLE admin_users (
    email TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    totp_enrolled BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
