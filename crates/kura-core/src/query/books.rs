//! The books' figures: monthly totals per category, read from `category_months` (kept by
//! triggers), so a year of them reads a few hundred rows, not every line.

use crate::books::report::{CategoryMonth, YearMonth};
use crate::model::{AccountId, CategoryId};
use crate::store::{Store, StoreError};

impl Store {
    /// The totals per month and category of `first..=last`, over `accounts` (empty: every
    /// account that is not hidden).
    pub fn category_months(
        &self,
        first: YearMonth,
        last: YearMonth,
        accounts: &[AccountId],
    ) -> Result<Vec<CategoryMonth>, StoreError> {
        let ids = serde_json::to_string(&accounts.iter().map(|a| a.0).collect::<Vec<_>>()).expect("ids serialise");
        let mut stmt = self.conn().prepare_cached(
            "SELECT month, category_id, transfer, sum(inflow), sum(outflow), sum(lines_in), sum(lines_out)
             FROM category_months
             WHERE month BETWEEN ?1 AND ?2
               AND account_id IN (SELECT id FROM accounts
                                  WHERE CASE WHEN ?3 = '[]' THEN hidden = 0
                                             ELSE id IN (SELECT value FROM json_each(?3)) END)
             GROUP BY month, category_id, transfer
             HAVING sum(lines_in) + sum(lines_out) > 0
             ORDER BY month, category_id, transfer",
        )?;
        let rows = stmt.query_map(rusqlite::params![first.to_string(), last.to_string(), ids], |r| {
            let month: String = r.get(0)?;
            let category: i64 = r.get(1)?;
            Ok(CategoryMonth {
                month: YearMonth::parse(&month).unwrap_or(first),
                category: (category != 0).then_some(CategoryId(category)),
                transfer: r.get(2)?,
                inflow: r.get(3)?,
                outflow: r.get(4)?,
                lines_in: r.get(5)?,
                lines_out: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
