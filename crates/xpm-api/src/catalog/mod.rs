//! The catalog of every XPM 3.1 operation.
