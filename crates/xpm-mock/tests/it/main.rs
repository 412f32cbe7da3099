//! Integration tests for the emulator, driven over HTTP as an outside app would.

mod admin;
mod directory;
mod faults;
mod forbidden;
mod gateway;
mod harness;
mod identity;
mod limits;
mod practices;
mod session;
mod sockets;
mod spec;
mod state;
mod work;
