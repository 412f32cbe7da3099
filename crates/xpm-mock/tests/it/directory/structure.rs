//! The element structure of an XML document, to compare the emulator's XML with Xero's samples
//! without comparing values.
//!
//! A structure maps each element path (`Response/Clients/Client/Contacts`) to the sequences of
//! child names its instances have, with runs of one repeated name (`Client`, `Client`, …)
//! collapsed, so a list of 2 and a list of 200 items compare alike.

use std::collections::BTreeMap;

use xpm_api::xml::XmlReader;

/// Element paths and, for each, the child-name sequence of every instance.
#[derive(Debug, Default)]
pub(super) struct Structure {
    children: BTreeMap<String, Vec<Vec<String>>>,
}

impl Structure {
    /// Reads `xml`, panicking on malformed input.
    pub(super) fn of(xml: &str) -> Self {
        let mut reader = XmlReader::new(xml.as_bytes());
        let empty = reader.root().expect("a root element");
        let mut structure = Self::default();
        let root = reader.name_lossy();
        structure.walk(&mut reader, &root, empty);
        structure
    }

    fn walk(&mut self, reader: &mut XmlReader<&[u8]>, path: &str, empty: bool) {
        let mut names: Vec<String> = Vec::new();
        if !empty {
            while let Some(child_empty) = reader.next_child_within().expect("well-formed XML") {
                let name = reader.name_lossy();
                let child = format!("{path}/{name}");
                if names.last() != Some(&name) {
                    names.push(name);
                }
                self.walk(reader, &child, child_empty);
            }
        }
        self.children.entry(path.to_owned()).or_default().push(names);
    }

    /// The order of the children under `path`, merged across instances: a name first seen in
    /// a later instance goes right after the name that precedes it there.
    fn order(&self, path: &str) -> Vec<&str> {
        let mut order: Vec<&str> = Vec::new();
        for names in self.children.get(path).into_iter().flatten() {
            let mut after = None;
            for name in names {
                match order.iter().position(|known| known == name) {
                    Some(position) => after = Some(position),
                    None => {
                        let at = after.map_or(0, |position| position + 1);
                        order.insert(at, name);
                        after = Some(at);
                    }
                }
            }
        }
        order
    }

    /// Asserts that `ours` has this sample's structure:
    ///
    /// - every element of ours is in the sample at the same path, or named in `extra` (elements
    ///   XPM documents that the sample happens not to hold), or below one of those;
    /// - in every instance, the elements the sample has come in the sample's order;
    /// - every element of the sample appears in ours somewhere, except the paths in `missing`
    ///   (and what is below them).
    pub(super) fn assert_matched_by(&self, ours: &Structure, extra: &[&str], missing: &[&str]) {
        let under_extra = |path: &str| path.split('/').any(|segment| extra.contains(&segment));
        for (path, instances) in &ours.children {
            let order = self.order(path);
            if order.is_empty() && !self.children.contains_key(path) {
                assert!(under_extra(path), "{path} is not in the sample");
                continue;
            }
            for names in instances {
                let mut last = None;
                for name in names {
                    match order.iter().position(|known| known == name) {
                        Some(position) => {
                            assert!(
                                last.is_none_or(|last| position > last),
                                "{path}/{name} is out of the sample's order {order:?} in {names:?}"
                            );
                            last = Some(position);
                        }
                        None => assert!(extra.contains(&name.as_str()), "{path}/{name} is not in the sample"),
                    }
                }
            }
        }
        let under_missing = |path: &str| missing.iter().any(|gap| path == *gap || path.starts_with(&format!("{gap}/")));
        for path in self.children.keys() {
            for name in self.order(path) {
                let child = format!("{path}/{name}");
                if under_missing(&child) {
                    continue;
                }
                let present = ours.order(path).contains(&name);
                assert!(present, "{child} from the sample is missing");
            }
        }
    }
}
