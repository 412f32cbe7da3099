//! The contract suite against the in-process emulator: every check passes on the defaults,
//! differences are reported with the setting that matches them, and the profile a run writes
//! makes another emulator behave the same.

mod emulator;
