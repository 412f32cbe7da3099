//! The name of the element just opened, and finding it in a record's table of fields.

use quick_xml::events::BytesStart;

/// A record's fields as `(XML name, field)` pairs, in the order the record declares them.
pub(super) type FieldTable<F> = [(&'static [u8], F)];

/// The local name of the element most recently opened.
///
/// When the name matched a field, the table's own copy of the name is kept, so the common case
/// copies nothing; other names are copied into a buffer that is reused.
#[derive(Debug, Default)]
pub(super) struct OpenedName {
    known: Option<&'static [u8]>,
    copied: Vec<u8>,
}

impl OpenedName {
    pub(super) fn get(&self) -> &[u8] {
        self.known.unwrap_or(&self.copied)
    }

    /// Records the element `start` opened, looked up in `fields` (see [`find`]).
    pub(super) fn open<F: Copy>(
        &mut self,
        start: &BytesStart<'_>,
        fields: &'static FieldTable<F>,
        next: &mut usize,
    ) -> Option<F> {
        // Field names have no prefix, so a name that matches as written is already local: the
        // prefix is looked for only when the first lookup fails, which is rare.
        let qualified = start.name().into_inner().as_bytes();
        // The expected field, checked before any search: it is the answer nearly every time.
        if let Some(&(expected, field)) = fields.get(*next)
            && same_name(expected, qualified)
        {
            *next += 1;
            self.known = Some(expected);
            return Some(field);
        }
        let found = find(fields, qualified, next);
        let local = if found.is_some() { qualified } else { local_name(qualified) };
        match found.or_else(|| if local.len() < qualified.len() { find(fields, local, next) } else { None }) {
            Some(index) => {
                self.known = Some(fields[index].0);
                Some(fields[index].1)
            }
            None => {
                self.known = None;
                self.copied.clear();
                self.copied.extend_from_slice(local);
                None
            }
        }
    }
}

/// What follows the first `:` of a qualified name, as `QName::local_name` has it. Names are a
/// few bytes long, so a plain scan beats the vectorised search `local_name` sets up.
fn local_name(qualified: &[u8]) -> &[u8] {
    match qualified.iter().position(|&byte| byte == b':') {
        Some(colon) => &qualified[colon + 1..],
        None => qualified,
    }
}

/// The index of `name` in `fields`.
///
/// XPM writes a record's children in one fixed order and records declare their fields in that
/// order, so the search starts at `next`, just after the previous match, and wraps around once:
/// usually the first name compared is the right one, however many fields the record has.
fn find<F>(fields: &FieldTable<F>, name: &[u8], next: &mut usize) -> Option<usize> {
    let start = (*next).min(fields.len());
    let (before, after) = fields.split_at(start);
    let found = after
        .iter()
        .position(|(field, _)| same_name(field, name))
        .map(|offset| start + offset)
        .or_else(|| before.iter().position(|(field, _)| same_name(field, name)))?;
    *next = found + 1;
    Some(found)
}

/// Compares two element names without calling `memcmp`, whose set-up costs more than comparing
/// a name of a few bytes: names of 4 to 16 bytes (nearly all) are compared as two overlapping
/// words, the rest byte by byte.
fn same_name(left: &[u8], right: &[u8]) -> bool {
    let length = left.len();
    if length != right.len() {
        return false;
    }
    match length {
        4..=7 => {
            word::<4>(left, 0) == word::<4>(right, 0) && word::<4>(left, length - 4) == word::<4>(right, length - 4)
        }
        8..=16 => {
            word::<8>(left, 0) == word::<8>(right, 0) && word::<8>(left, length - 8) == word::<8>(right, length - 8)
        }
        _ => left.iter().zip(right).all(|(left, right)| left == right),
    }
}

/// `N` bytes of `bytes` from `at`, as an array to compare in one go (zeros if out of range,
/// which callers rule out).
fn word<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    bytes.get(at..at + N).and_then(|slice| slice.try_into().ok()).unwrap_or([0; N])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_equal_only_when_equal() {
        let names: [&[u8]; 9] = [
            b"",
            b"A",
            b"UUID",
            b"Name",
            b"Names",
            b"IsPrimary",
            b"IsProspect",
            b"PostalAddress",
            b"PrepareActivityStatement",
        ];
        for left in names {
            for right in names {
                assert_eq!(same_name(left, right), left == right, "{left:?} {right:?}");
            }
        }
        assert!(!same_name(b"PostalAddressX", b"PostalAddressY"));
        assert!(!same_name(b"XostalAddress", b"YostalAddress"));
    }

    #[test]
    fn lookup_starts_after_the_last_match_and_wraps() {
        let fields: &FieldTable<u8> = &[(b"A", 0), (b"B", 1), (b"C", 2)];
        let mut next = 0;
        assert_eq!(find(fields, b"B", &mut next), Some(1));
        assert_eq!(find(fields, b"C", &mut next), Some(2));
        assert_eq!(find(fields, b"A", &mut next), Some(0));
        assert_eq!(find(fields, b"D", &mut next), None);
        assert_eq!(next, 1);
        assert_eq!(local_name(b"x:Name"), b"Name");
    }
}
