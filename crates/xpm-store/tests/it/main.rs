//! The store's integration tests, against real SQLite files and a real PostgreSQL server.
//!
//! PostgreSQL tests read the server's URL from `XPMKIT_TEST_DATABASE_URL` (`.ci/run` starts a
//! server and sets it; `.ci/postgres.sh` does the same by hand) and create a fresh database per
//! test. Without the variable they say on stderr that they were skipped.

mod approval;
mod export;
mod first_load;
mod harness;
mod leases;
mod open;
mod outbox;
mod retention;
mod story;
mod tokens;
mod writes;
