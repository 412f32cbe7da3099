//! The scope planner.
