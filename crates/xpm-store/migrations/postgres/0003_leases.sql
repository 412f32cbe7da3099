-- Leases: which worker holds which practice, and when each practice is next due. Many workers
-- share one database; a worker claims due practices (SELECT … FOR UPDATE SKIP LOCKED), holds each
-- for a lease it renews while it syncs, and releases it with the next due time. A lease left to
-- expire (its worker died) is taken over by the next claim.
-- Times are milliseconds since the Unix epoch from the database server's clock, so workers on
-- different machines compare against one clock.
CREATE TABLE practice_leases (
    tenant_id TEXT PRIMARY KEY,
    interval_ms BIGINT NOT NULL,
    next_due_ms BIGINT NOT NULL,
    holder TEXT,
    lease_expires_ms BIGINT,
    claimed_ms BIGINT,
    generation BIGINT NOT NULL DEFAULT 0,
    takeovers BIGINT NOT NULL DEFAULT 0,
    released_ms BIGINT
);
CREATE INDEX practice_leases_due ON practice_leases (next_due_ms);
