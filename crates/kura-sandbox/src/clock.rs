//! The sandbox's simulated clock: real time shifted by an offset that tests and the admin API
//! move forward, so new activity appears and tokens expire without waiting.

use std::sync::Mutex;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};

/// Japan Standard Time; the federation's dates and times are all JST.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

#[derive(Debug, Default)]
pub struct SimClock {
    offset: Mutex<Duration>,
}

impl SimClock {
    /// A clock whose "today" (JST) is `today`, with the real time of day.
    pub fn starting_on(today: Option<NaiveDate>) -> Self {
        let clock = Self::default();
        if let Some(day) = today {
            clock.set_today(day);
        }
        clock
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        (Utc::now() + *self.offset.lock().expect("clock lock")).with_timezone(&jst())
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    pub fn advance(&self, by: Duration) {
        *self.offset.lock().expect("clock lock") += by;
    }

    /// Moves the clock so that today (JST) is `day`, keeping the time of day.
    pub fn set_today(&self, day: NaiveDate) {
        let shift = Duration::days((day - self.today()).num_days());
        self.advance(shift);
    }
}
