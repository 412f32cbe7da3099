//! "Did you mean" suggestions by edit distance, shared by the catalog and the scope planner.

/// Returns the candidate nearest to `input` when it is near enough to be a plausible typo.
///
/// Both sides go through `normalize` first, so callers can ignore case and punctuation. The
/// distance is optimal string alignment (Levenshtein plus adjacent transpositions); a candidate
/// qualifies within `max(2, len / 3)` edits of the normalized input. Ties go to the earlier
/// candidate, so callers control preference through order.
pub(crate) fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    normalize: fn(&str) -> String,
) -> Option<&'a str> {
    let wanted = normalize(input);
    let limit = (wanted.chars().count() / 3).max(2);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let distance = strsim::osa_distance(&wanted, &normalize(candidate));
        if distance <= limit && best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Lowercases and keeps only ASCII letters, digits and dots.
pub(crate) fn loose(input: &str) -> String {
    input.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.').map(|c| c.to_ascii_lowercase()).collect()
}

/// Renders an optional suggestion as an error-message suffix: `; did you mean `x`?` or nothing.
pub(crate) fn did_you_mean(suggestion: &Option<impl std::fmt::Display>) -> String {
    match suggestion {
        Some(suggestion) => format!("; did you mean `{suggestion}`?"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, candidates: &[&'static str], expect: Option<&str>) {
        assert_eq!(closest(input, candidates.iter().copied(), loose), expect, "{input}");
    }

    #[test]
    fn suggests_near_misses_and_nothing_for_strangers() {
        let candidates = ["ClientV31_List", "ClientV31_Lists", "StaffV31_List"];
        check("clientv31_lsit", &candidates, Some("ClientV31_List"));
        check("CLIENTV31_LIST", &candidates, Some("ClientV31_List"));
        check("StaffV31-List", &candidates, Some("StaffV31_List"));
        check("InvoiceV31_Payments", &candidates, None);
    }
}
