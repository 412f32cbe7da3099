//! The sync executor against the in-process emulator, into SQLite and (when
//! `XPMKIT_TEST_DATABASE_URL` names a server) PostgreSQL.

mod faults;
mod harness;
mod runs;
