//! Scope planner tests: least-privilege plans and scope explanations, through the public API.

use xpm_api::catalog::{ParseScopeError, Scope, Tag};
use xpm_api::scopes::{Explanation, Target, explain, plan};

/// Plans `targets` (features or operation ids) and compares the XPM scope string.
fn check_plan(targets: &[&str], expect: &str) {
    let targets: Vec<Target> = targets.iter().map(|target| target.parse().expect("a valid target")).collect();
    let plan = plan(&targets);
    assert_eq!(plan.scope_string(), expect, "targets {targets:?}");
    let authorize = plan.authorize_scope();
    assert!(authorize.starts_with("openid profile email offline_access"), "{authorize}");
}

#[test]
fn plans_are_least_privilege() {
    check_plan(&["read clients", "read staff"], "practicemanager.client.read practicemanager.staff.read");
    check_plan(&["clients:read", "contacts:read", "groups:read"], "practicemanager.client.read");
    check_plan(&["read clients", "read categories"], "practicemanager.read");
    check_plan(&["read templates", "read tasks", "read job states"], "practicemanager.read");
    check_plan(&["write clients", "read invoices"], "practicemanager.read practicemanager.client");
    check_plan(&["write costs", "write clients"], "practicemanager");
    check_plan(&["write time", "TimeV31_List"], "practicemanager.time");
    check_plan(&["CustomFieldV31_UpdateJob"], "practicemanager.job");
    check_plan(&["CustomFieldV31_Add"], "practicemanager");
    check_plan(&["Job2V31_StaffByIdentifier"], "practicemanager.job.read");
}

#[test]
fn plan_names_what_each_scope_covers_and_the_identity_scopes() {
    let targets: Vec<Target> =
        ["read clients", "write time"].iter().map(|target| target.parse().expect("a valid target")).collect();
    let plan = plan(&targets);
    let summary: Vec<(Scope, usize)> =
        plan.scopes().iter().map(|planned| (planned.scope, planned.covers.len())).collect();
    assert_eq!(summary, [(Scope::ClientRead, 5), (Scope::Time, 3)]);
    let text = plan.to_string();
    assert!(text.contains("offline_access"), "{text}");
    assert!(text.contains("openid profile email"), "{text}");
}

#[test]
fn explain_points_contact_scopes_at_client_scopes() {
    let cases = [
        ("practicemanager.contact", Scope::Client),
        ("practicemanager.contact.read", Scope::ClientRead),
        ("practicemanager.contacts", Scope::Client),
    ];
    for (input, expected) in cases {
        let error = explain(input).expect_err("xero defines no contact scope");
        assert!(
            matches!(error, ParseScopeError::NotDefined { suggestion, .. } if suggestion == expected),
            "{input}: {error:?}"
        );
        assert!(error.to_string().contains("contacts live under the client scopes"), "{error}");
    }
}

#[test]
fn explain_covers_typos_other_apis_and_identity_scopes() {
    let typo = explain("practicemanager.jobs.read").expect_err("a typo");
    assert_eq!(typo.suggestion(), Some(Scope::JobRead));
    let other = explain("accounting.transactions").expect_err("another api");
    assert!(other.to_string().contains("not an xpm scope"), "{other}");
    for identity in ["openid", "profile", "email", "offline_access"] {
        let explanation = explain(identity).expect("identity scopes are explained");
        assert!(matches!(explanation, Explanation::Identity(_)), "{identity}");
    }
}

#[test]
fn explain_lists_operations_and_implying_scopes() {
    let Ok(Explanation::Xpm(explanation)) = explain("practicemanager.time.read") else {
        panic!("practicemanager.time.read is an xpm scope");
    };
    assert!(explanation.read_only);
    assert_eq!(explanation.implied_by, [Scope::Time, Scope::PracticeManagerRead, Scope::PracticeManager]);
    let tags: Vec<Tag> = explanation.groups.iter().map(|group| group.tag).collect();
    assert_eq!(tags, [Tag::CustomField, Tag::Time]);
    assert_eq!(explanation.operation_count(), 5);
}
