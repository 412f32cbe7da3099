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

/// The subcommands and long flags `xpmkit <command> --help` lists.
fn help(args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xpmkit")).args(args).arg("--help").output();
    let output = output.unwrap_or_else(|error| panic!("xpmkit {args:?} --help: {error}"));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The names listed under `Commands:` in a help text.
fn subcommands(help: &str) -> Vec<String> {
    help.split("Commands:")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .map(|block| {
            block
                .lines()
                .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
                .filter_map(|line| line.split_whitespace().next())
                .map(str::to_owned)
                .collect::<Vec<String>>()
        })
        .unwrap_or_default()
        .into_iter()
        .filter(|name| name != "help")
        .collect()
}

/// The `--long` flags in a help text.
fn long_flags(help: &str) -> Vec<String> {
    help.split_whitespace()
        .filter_map(|word| word.strip_prefix("--"))
        .map(|flag| flag.trim_end_matches([',', '.', ')', '`']).split(['=', '[', '<']).next().unwrap_or_default())
        .filter(|flag| !flag.is_empty() && *flag != "help" && *flag != "version")
        .map(|flag| format!("--{flag}"))
        .collect()
}

#[test]
fn the_readme_documents_every_command_and_flag_the_binary_has() {
    let readme = read("../../README.md");
    let status_row = readme.lines().find(|line| line.starts_with("| `xpmkit` CLI:")).unwrap_or_default();
    let mut missing = Vec::new();
    for command in subcommands(&help(&[])) {
        if !status_row.contains(&format!("`{command}`")) {
            missing.push(format!("`{command}` in the status table"));
        }
        let mut helps = vec![(command.clone(), help(&[&command]))];
        for nested in subcommands(&helps[0].1) {
            helps.push((format!("{command} {nested}"), help(&[&command, &nested])));
        }
        for (name, text) in helps {
            if !readme.contains(&format!("xpmkit {name}")) {
                missing.push(format!("`xpmkit {name}`"));
            }
            for flag in long_flags(&text) {
                if !readme.contains(&flag) {
                    missing.push(format!("{flag} of `xpmkit {name}`"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "README.md does not mention: {missing:?}");
    for setting in
        ["XPMKIT_MOCK_URL", "XPMKIT_DATA_DIR", "XPMKIT_MASTER_KEY", "RUST_LOG", "cargo install --path crates/xpmkit"]
    {
        assert!(readme.contains(setting), "README.md does not mention {setting}");
    }
    // What CI runs, and the main job on embedded defaults.
    assert!(readme.contains("cargo test --workspace --all-features"));
    assert!(readme.contains("cargo run --release -p xpmkit -- demo"));
}

#[test]
fn the_licence_cargo_states_is_at_the_root() {
    let manifest = read("../../Cargo.toml");
    assert!(manifest.contains(r#"license = "MIT OR Apache-2.0""#));
    let licence = read("../../LICENSE");
    assert!(licence.contains("SPDX: MIT OR Apache-2.0"), "{licence}");
    assert!(read("../../LICENSE-MIT").contains("Permission is hereby granted, free of charge"));
    assert!(read("../../LICENSE-APACHE").contains("Apache License\n                        Version 2.0"));
}
