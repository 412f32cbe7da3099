//! Integration tests for the emulator, driven over HTTP as an outside app would.

mod directory;
mod gateway;
mod identity;
mod work;
