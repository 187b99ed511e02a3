//! State kept per day while reading a history that the bank serves grouped by date (oldest or
//! newest first): only the day being read is held, so memory follows a day's lines, not the
//! history's.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

/// A day came back after the lines of another day: its state was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayReopened(pub NaiveDate);

/// `T` per day: the current day's only, or (for a bank that does not group its lines by
/// date) every day's.
#[derive(Debug)]
pub struct ByDay<T> {
    keep_all: bool,
    current: Option<(NaiveDate, T)>,
    closed: HashSet<NaiveDate>,
    all: HashMap<NaiveDate, T>,
}

impl<T: Default> ByDay<T> {
    pub fn new(keep_all: bool) -> Self {
        Self { keep_all, current: None, closed: HashSet::new(), all: HashMap::new() }
    }

    /// The state of `date`. Unless every day is kept, a day left for another cannot come back.
    pub fn day(&mut self, date: NaiveDate) -> Result<&mut T, DayReopened> {
        if self.keep_all {
            return Ok(self.all.entry(date).or_default());
        }
        if self.current.as_ref().is_none_or(|(d, _)| *d != date) {
            if self.closed.contains(&date) {
                return Err(DayReopened(date));
            }
            if let Some((left, _)) = self.current.take() {
                self.closed.insert(left);
            }
            self.current = Some((date, T::default()));
        }
        Ok(&mut self.current.as_mut().expect("just set").1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    #[test]
    fn holds_one_day_in_either_direction_and_refuses_a_day_left_earlier() {
        for days in [[1, 2, 3, 3], [3, 2, 1, 1]] {
            let mut seen: ByDay<u32> = ByDay::new(false);
            for day in days {
                *seen.day(d(day)).unwrap() += 1;
            }
            assert_eq!(*seen.day(d(days[3])).unwrap(), 2, "the current day's state stays");
            assert_eq!(seen.day(d(days[0])), Err(DayReopened(d(days[0]))));
        }
    }

    #[test]
    fn keeping_every_day_allows_any_order() {
        let mut seen: ByDay<u32> = ByDay::new(true);
        for day in [1, 2, 1, 3, 1] {
            *seen.day(d(day)).unwrap() += 1;
        }
        assert_eq!(*seen.day(d(1)).unwrap(), 3);
    }
}
