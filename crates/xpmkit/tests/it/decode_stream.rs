//! `xpmkit decode` on a long JSON list from standard input: streamed, every item out.

use crate::{text, xpmkit};

/// A JSON staff list of `count` items, with the status at `status_at_end` or first.
fn staff_list(count: usize, status: &str, status_at_end: bool) -> Vec<u8> {
    let items: Vec<String> = (0..count).map(|index| format!(r#"{{"name":"Staff {index}"}}"#)).collect();
    let status = format!(r#""status":"{status}","errorDescription":"gone""#);
    let list = format!(r#""staffList":[{}]"#, items.join(","));
    let body = if status_at_end { format!("{{{list},{status}}}") } else { format!("{{{status},{list}}}") };
    body.into_bytes()
}

#[test]
fn a_long_json_list_from_stdin_is_decoded_item_by_item() {
    let count = 50_000;
    let body = staff_list(count, "OK", false);
    let lines = xpmkit(&["decode", "StaffV31_List", "-", "--to", "jsonl"], Some(&body));
    assert_eq!(lines.status.code(), Some(0), "{}", text(&lines.stderr));
    let printed = text(&lines.stdout);
    assert_eq!(printed.lines().count(), count);
    assert_eq!(printed.lines().last(), Some(format!(r#"{{"name":"Staff {}"}}"#, count - 1).as_str()));

    let json = xpmkit(&["decode", "StaffV31_List"], Some(&body));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("stdout is JSON");
    assert_eq!(value["staffList"].as_array().map(Vec::len), Some(count));

    let check = xpmkit(&["decode", "StaffV31_List", "--check"], Some(&body));
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert!(text(&check.stderr).contains(&format!("ok: {count} items")), "{}", text(&check.stderr));
}

#[test]
fn a_json_list_whose_status_comes_last_still_fails_on_error() {
    let failed = staff_list(3, "ERROR", true);
    let output = xpmkit(&["decode", "StaffV31_List", "--to", "jsonl"], Some(&failed));
    assert_eq!(output.status.code(), Some(4), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("gone"), "{}", text(&output.stderr));

    let good = staff_list(3, "OK", true);
    let output = xpmkit(&["decode", "StaffV31_List", "--to", "jsonl"], Some(&good));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout).lines().count(), 3);
}
