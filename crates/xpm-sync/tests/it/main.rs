//! xpm-sync's integration tests: the sync executor and write-back against the emulator
//! in-process, on a real SQLite file and (when `XPMKIT_TEST_DATABASE_URL` names a server) a real
//! PostgreSQL server.

mod faults;
mod harness;
mod push;
mod push_entities;
mod runs;
mod work;
mod work_faults;
// The store's own harness, used by the write-back tests: a fresh database per test, PostgreSQL
// skipped (said on stderr) without a server.
#[path = "../../../xpm-store/tests/it/harness.rs"]
#[expect(dead_code, reason = "the store's tests use all of the harness, these tests part of it")]
mod store_harness;
mod support;
