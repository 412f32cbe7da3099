//! Maps written as a list of `[key, value]` pairs, for maps whose keys JSON cannot hold as object
//! keys (a tuple, an enum with data). Use as `#[serde(with = "crate::state::pairs")]`.
//!
//! Hand-written rather than `serde_with`'s `Seq<(_, _)>`: these two functions are all it takes,
//! and `serde_with` would add a proc-macro crate and its dependencies for them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes the map as a sequence of pairs ordered by key, so equal maps make equal files whatever
/// order a `HashMap` iterates in.
pub(crate) fn serialize<'a, M, K, V, S>(map: &'a M, serializer: S) -> Result<S::Ok, S::Error>
where
    &'a M: IntoIterator<Item = (&'a K, &'a V)>,
    K: Serialize + Ord + 'a,
    V: Serialize + 'a,
    S: Serializer,
{
    let mut pairs: Vec<(&K, &V)> = map.into_iter().collect();
    pairs.sort_by(|left, right| left.0.cmp(right.0));
    serializer.collect_seq(pairs)
}

/// Reads a sequence of pairs into the map.
pub(crate) fn deserialize<'de, M, K, V, D>(deserializer: D) -> Result<M, D::Error>
where
    M: FromIterator<(K, V)>,
    K: Deserialize<'de>,
    V: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Vec::<(K, V)>::deserialize(deserializer).map(|pairs| pairs.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[serde(with = "super")]
        map: BTreeMap<(u32, String), bool>,
    }

    #[test]
    fn tuple_keys_round_trip_as_pairs() {
        let holder = Holder { map: [((1, "a".to_owned()), true), ((2, "b".to_owned()), false)].into() };
        let json = serde_json::to_string(&holder).expect("encodes");
        assert_eq!(json, r#"{"map":[[[1,"a"],true],[[2,"b"],false]]}"#);
        assert_eq!(serde_json::from_str::<Holder>(&json).ok(), Some(holder));
    }
}
