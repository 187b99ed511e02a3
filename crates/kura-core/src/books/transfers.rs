//! Recognising transfers (振替) between the household's own accounts: the same amount leaving
//! one account and arriving in another within a few days.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::model::AccountId;

/// How many days apart the two sides of a transfer may be booked: a 振込 sent on a Friday
/// before a holiday Monday arrives on Tuesday.
pub const TRANSFER_WINDOW_DAYS: i64 = 4;

/// A line that may be one side of a transfer: neither already paired nor decided by the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairCandidate {
    pub id: i64,
    pub account: AccountId,
    pub date: NaiveDate,
    pub amount: i64,
}

/// Pairs each of `new` lines with a line of `others` (or of `new`) in a different account that
/// has the opposite amount and a date at most [`TRANSFER_WINDOW_DAYS`] away. Among several, the
/// closest date wins, then the oldest row, so the result does not depend on the input's order.
/// Every line is paired at most once. Returns `(new line, other line)` pairs.
pub fn pair_transfers(new: &[PairCandidate], others: &[PairCandidate]) -> Vec<(i64, i64)> {
    let mut pairer = Pairer::new(others.iter().chain(new).copied());
    let mut ordered: Vec<&PairCandidate> = new.iter().collect();
    ordered.sort_by_key(|c| (c.date, c.id));
    ordered.into_iter().filter_map(|line| pairer.offer(line)).collect()
}

/// [`pair_transfers`] one new line at a time, offered in (date, id) order, so that a batch of
/// any size is paired while only the lines it may pair with are held.
pub struct Pairer {
    by_amount: HashMap<i64, Vec<PairCandidate>>,
    taken: HashSet<i64>,
}

impl Pairer {
    /// The lines the offered ones may pair with.
    pub fn new(partners: impl IntoIterator<Item = PairCandidate>) -> Pairer {
        let mut by_amount: HashMap<i64, Vec<PairCandidate>> = HashMap::new();
        for c in partners {
            if c.amount != 0 {
                by_amount.entry(c.amount).or_default().push(c);
            }
        }
        Pairer { by_amount, taken: HashSet::new() }
    }

    /// Whether no offered line can pair.
    pub fn is_empty(&self) -> bool {
        self.by_amount.is_empty()
    }

    /// Whether a line of `amount` could pair with one of the partners.
    pub fn may_pair(&self, amount: i64) -> bool {
        amount != 0 && self.by_amount.contains_key(&-amount)
    }

    /// Pairs `line` with its best partner not yet taken: `(line, partner)`.
    pub fn offer(&mut self, line: &PairCandidate) -> Option<(i64, i64)> {
        if line.amount == 0 || self.taken.contains(&line.id) {
            return None;
        }
        let (_, other) = self
            .by_amount
            .get(&-line.amount)?
            .iter()
            .filter(|o| o.account != line.account && !self.taken.contains(&o.id))
            .map(|o| ((o.date - line.date).num_days().abs(), o.id))
            .filter(|(days, _)| *days <= TRANSFER_WINDOW_DAYS)
            .min()?;
        self.taken.insert(line.id);
        self.taken.insert(other);
        Some((line.id, other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: i64, account: i64, day: u32, amount: i64) -> PairCandidate {
        PairCandidate { id, account: AccountId(account), date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(), amount }
    }

    #[test]
    fn opposite_amounts_in_two_accounts_within_the_window_pair() {
        let pairs = pair_transfers(&[c(10, 1, 26, -50_000)], &[c(20, 2, 27, 50_000)]);
        assert_eq!(pairs, [(10, 20)]);
    }

    #[test]
    fn same_account_same_sign_or_too_far_apart_do_not_pair() {
        assert!(pair_transfers(&[c(10, 1, 26, -50_000)], &[c(20, 1, 26, 50_000)]).is_empty());
        assert!(pair_transfers(&[c(10, 1, 26, -50_000)], &[c(20, 2, 26, -50_000)]).is_empty());
        assert!(pair_transfers(&[c(10, 1, 20, -50_000)], &[c(20, 2, 25, 50_000)]).is_empty());
        assert_eq!(pair_transfers(&[c(10, 1, 20, -50_000)], &[c(20, 2, 24, 50_000)]), [(10, 20)]);
    }

    #[test]
    fn the_closest_date_wins_and_each_line_pairs_once() {
        let others = [c(20, 2, 22, 30_000), c(21, 3, 25, 30_000), c(22, 2, 26, 30_000)];
        let new = [c(10, 1, 25, -30_000), c(11, 1, 25, -30_000)];
        let pairs = pair_transfers(&new, &others);
        assert_eq!(pairs, [(10, 21), (11, 22)]);
    }

    #[test]
    fn the_result_does_not_depend_on_input_order() {
        let others = [c(20, 2, 24, 30_000), c(21, 3, 26, 30_000)];
        let new = [c(11, 1, 25, -30_000), c(10, 1, 25, -30_000)];
        let mut reversed_others = others;
        reversed_others.reverse();
        assert_eq!(pair_transfers(&new, &others), pair_transfers(&[new[1], new[0]], &reversed_others));
        // Equally close on both sides: the older row.
        assert_eq!(pair_transfers(&new, &others)[0], (10, 20));
    }

    #[test]
    fn new_lines_of_two_accounts_pair_with_each_other() {
        let new = [c(10, 1, 5, -12_000), c(11, 2, 5, 12_000)];
        assert_eq!(pair_transfers(&new, &[]), [(10, 11)]);
    }
}
