//! The time sheet: entries ordered by date, so `from`/`to` windows are range scans.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use uuid::Uuid;
use xpm_api::model::Time;

/// Every time entry of the practice.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Times {
    /// Written as a list of pairs: JSON keys are strings, and this key is a pair.
    #[serde(with = "crate::state::pairs")]
    by_date: BTreeMap<(NaiveDate, u64), Arc<Time>>,
    by_uuid: HashMap<Uuid, (NaiveDate, u64)>,
    next_key: u64,
}

/// The date a time entry counts on.
fn date_of(time: &Time) -> NaiveDate {
    time.date.map(|date| date.naive_date()).unwrap_or_default()
}

impl Times {
    /// How many entries there are.
    pub(crate) fn len(&self) -> usize {
        self.by_date.len()
    }

    /// Stores an entry (it must have a UUID) and returns the shared copy.
    pub(crate) fn insert(&mut self, time: Time) -> Arc<Time> {
        let date = date_of(&time);
        let key = (date, self.next_key);
        self.next_key += 1;
        let time = Arc::new(time);
        if let Some(uuid) = time.uuid
            && let Some(old) = self.by_uuid.insert(uuid, key)
        {
            self.by_date.remove(&old);
        }
        self.by_date.insert(key, Arc::clone(&time));
        time
    }

    /// The entry with identifier `uuid`.
    pub(crate) fn get(&self, uuid: Uuid) -> Option<&Arc<Time>> {
        self.by_uuid.get(&uuid).and_then(|key| self.by_date.get(key))
    }

    /// Removes the entry with identifier `uuid`.
    pub(crate) fn remove(&mut self, uuid: Uuid) -> Option<Arc<Time>> {
        let key = self.by_uuid.remove(&uuid)?;
        self.by_date.remove(&key)
    }

    /// Entries dated `from` to `to`, both included, oldest first.
    pub(crate) fn window(&self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = &Arc<Time>> {
        let range = if from <= to { Some((from, 0)..=(to, u64::MAX)) } else { None };
        range.into_iter().flat_map(|range| self.by_date.range(range).map(|(_, time)| time))
    }

    /// Every entry, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Arc<Time>> {
        self.by_date.values()
    }

    /// Removes every entry on job `number`, returning them.
    pub(crate) fn remove_job(&mut self, number: &str) -> Vec<Arc<Time>> {
        let doomed: Vec<Uuid> = self
            .iter()
            .filter(|time| {
                time.job.as_ref().and_then(|job| job.id.as_deref()).is_some_and(|id| id.eq_ignore_ascii_case(number))
            })
            .filter_map(|time| time.uuid)
            .collect();
        doomed.into_iter().filter_map(|uuid| self.remove(uuid)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::work::ids::day;

    fn entry(uuid: u128, date: NaiveDate) -> Time {
        let mut time = Time::default();
        time.uuid = Some(Uuid::from_u128(uuid));
        time.date = Some(day(date));
        time
    }

    #[test]
    fn windows_include_both_ends_and_replacing_keeps_one_copy() {
        let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
        let mut times = Times::default();
        times.insert(entry(1, first));
        times.insert(entry(2, first + chrono::Days::new(10)));
        times.insert(entry(1, first + chrono::Days::new(20)));
        assert_eq!(times.len(), 2);
        let dates: Vec<_> = times.window(first, first + chrono::Days::new(20)).map(|time| date_of(time)).collect();
        assert_eq!(dates, vec![first + chrono::Days::new(10), first + chrono::Days::new(20)]);
        assert_eq!(times.window(first + chrono::Days::new(5), first).count(), 0);
    }
}
