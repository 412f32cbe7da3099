//! Word pools for a practice's work: jobs' milestones and notes, time entries, job costs, the
//! price list and quotes, as an Australian practice writes them.
//!
//! The emulator's seeded work book draws from these with [`pick`]; their order is part of the
//! seed, so reordering or extending a pool changes every practice generated after it.

use rand::Rng;
use rand::seq::IndexedRandom;

/// Picks from a non-empty constant pool (the empty string from an empty one).
pub fn pick<'a>(random: &mut impl Rng, pool: &[&'a str]) -> &'a str {
    pool.choose(random).copied().unwrap_or_default()
}

/// Milestone descriptions.
pub const MILESTONES: &[&str] = &[
    "Client documents received",
    "Draft to manager",
    "Manager review complete",
    "Partner sign-off",
    "Lodged with the ATO",
    "Final meeting with client",
];

/// Note titles and texts.
pub const NOTES: &[(&str, &str)] = &[
    ("Missing information", "Waiting on bank statements for June and the depreciation schedule."),
    ("Call with client", "Discussed timing; client will upload receipts to the portal this week."),
    ("Review points", "Check the motor vehicle logbook and the home office claim.\nConfirm the PAYG instalments."),
    ("Scope change", "Client asked us to add the trust distribution minutes to this job."),
    ("Reminder", "Lodgement due soon — chase the signed engagement letter."),
    ("Handover", "Prepared by the senior; notes for review in the working papers folder."),
    ("Payment plan", "Client requested a payment plan for the tax debt; see the ATO correspondence."),
];

/// Comments on notes.
pub const COMMENTS: &[&str] = &[
    "Received, thanks.",
    "Followed up by email.",
    "Resolved — see the updated working papers.",
    "Client confirmed by phone.",
];

/// Folders for notes and tasks.
pub const FOLDERS: &[&str] = &["", "", "", "Correspondence", "Working papers", "Review"];

/// Time entry notes.
pub const TIME_NOTES: &[&str] = &[
    "",
    "",
    "Reconciled bank accounts",
    "Prepared working papers",
    "Phone call with client",
    "Emails re missing documents",
    "Reviewed prior year file",
    "Drafted financial statements",
    "Review points cleared",
    "Lodgement & follow-up",
    "Coded transactions",
    "Meeting — year-end planning",
];

/// Corrections: notes on negative time entries.
pub const CORRECTIONS: &[&str] = &["Correction: double entry", "Write-down agreed with partner", "Adjustment"];

/// Job costs recorded on jobs: description, code, unit cost cents, unit price cents.
pub const DISBURSEMENTS: &[(&str, &str, i64, i64)] = &[
    ("ASIC annual review fee", "ASIC", 31_000, 31_000),
    ("Courier", "COUR", 1_500, 2_200),
    ("Company search", "SRCH", 2_300, 3_500),
    ("Title search", "TITL", 1_800, 2_800),
    ("Printing and binding", "PRNT", 800, 2_500),
    ("Software subscription recharge", "SUBS", 4_500, 6_000),
    ("Travel — client site visit", "TRVL", 6_000, 9_000),
];

/// Price list item families: description stem and code prefix.
pub const PRICE_ITEMS: &[(&str, &str)] = &[
    ("Printing", "PR"),
    ("Courier", "CO"),
    ("Postage", "PO"),
    ("Company search", "CS"),
    ("Title search", "TS"),
    ("Lodgement fee", "LF"),
    ("Software subscription", "SW"),
    ("Travel", "TR"),
    ("Binding", "BI"),
    ("Stationery", "ST"),
    ("Scanning", "SC"),
    ("Archive retrieval", "AR"),
];

/// Price list item variants.
pub const PRICE_VARIANTS: &[&str] = &[
    "standard",
    "express",
    "same day",
    "overnight",
    "metro",
    "regional",
    "interstate",
    "international",
    "per page",
    "per hour",
    "per item",
    "bulk",
    "A4 mono",
    "A4 colour",
    "A3 colour",
    "small",
    "medium",
    "large",
    "monthly",
    "annual",
    "premium",
    "basic",
    "after hours",
    "weekend",
    "urgent",
    "economy",
    "secure",
    "tracked",
    "signature",
    "insured",
    "Sydney",
    "Melbourne",
    "Brisbane",
    "Perth",
    "Adelaide",
    "Hobart",
    "Darwin",
    "Canberra",
    "Auckland",
    "Wellington",
    "Christchurch",
    "London",
    "ASIC",
    "ATO",
    "land registry",
    "court",
    "council",
    "bank",
    "archive",
    "courier pack",
    "satchel",
    "box",
    "pallet",
    "per km",
    "per day",
    "half day",
    "full day",
    "per user",
    "per file",
    "per client",
    "per entity",
    "first",
    "additional",
    "ad hoc",
    "scheduled",
    "recurring",
    "one-off",
    "legacy",
    "new",
    "trial",
    "renewal",
    "upgrade",
    "downgrade",
    "migration",
    "setup",
    "training",
    "support",
    "consulting",
    "review",
    "audit",
    "compliance",
    "advisory",
    "internal",
    "external",
    "partner rate",
    "manager rate",
    "senior rate",
    "graduate rate",
    "admin rate",
    "special",
    "discounted",
    "waived",
    "pass-through",
    "recharge",
];

/// Standalone quote names.
pub const QUOTE_NAMES: &[&str] = &[
    "Restructure advice",
    "Cloud accounting setup",
    "Business plan and forecast",
    "SMSF establishment",
    "Succession planning",
    "Grant application support",
];
