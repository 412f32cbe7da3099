-- Leases: which worker holds which practice, and when each practice is next due. Workers claim
-- due practices (on SQLite inside a BEGIN IMMEDIATE transaction: one writer at a time gives the
-- exclusivity PostgreSQL's FOR UPDATE SKIP LOCKED gives), hold each for a lease they renew while
-- they sync, and release it with the next due time. A lease left to expire (its worker died) is
-- taken over by the next claim.
-- Times are milliseconds since the Unix epoch from the database's clock (here the machine's).
CREATE TABLE practice_leases (
    tenant_id TEXT PRIMARY KEY,
    interval_ms INTEGER NOT NULL,
    next_due_ms INTEGER NOT NULL,
    holder TEXT,
    lease_expires_ms INTEGER,
    claimed_ms INTEGER,
    generation INTEGER NOT NULL DEFAULT 0,
    takeovers INTEGER NOT NULL DEFAULT 0,
    released_ms INTEGER
);
CREATE INDEX practice_leases_due ON practice_leases (next_due_ms);
