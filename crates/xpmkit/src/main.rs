//! The `xpmkit` command line.
fn main() {}
