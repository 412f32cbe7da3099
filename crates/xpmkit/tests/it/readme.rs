//! The README's code stays true to the code: its Rust sample is part of an example that compiles.

use std::path::PathBuf;

fn read(relative: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

#[test]
fn the_readme_rust_sample_is_taken_from_a_compiled_example() {
    let readme = read("../../README.md");
    let example = read("examples/call_from_rust.rs");
    let example_lines: Vec<&str> = example.lines().map(str::trim).collect();
    let mut samples = 0;
    for block in readme.split("```rust").skip(1) {
        samples += 1;
        let sample = block.split("```").next().unwrap_or_default();
        for line in sample.lines().map(str::trim).filter(|line| !line.is_empty()) {
            assert!(example_lines.contains(&line), "README line not in examples/call_from_rust.rs: {line}");
        }
    }
    assert_eq!(samples, 1, "one Rust sample in README.md");
}
