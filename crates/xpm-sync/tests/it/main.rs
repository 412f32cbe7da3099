//! xpm-sync's integration tests: write-back against the emulator in-process, on a real SQLite
//! file and (with `XPMKIT_TEST_DATABASE_URL`) a real PostgreSQL server.

// The store's own harness: a fresh database per test, PostgreSQL skipped (said on stderr)
// without a server.
#[path = "../../../xpm-store/tests/it/harness.rs"]
#[expect(dead_code, reason = "the store's tests use all of the harness, these tests part of it")]
mod harness;
mod push;
mod push_entities;
mod support;
