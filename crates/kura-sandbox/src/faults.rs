//! Fault injection for the resource API (`/v1`): what a client must survive from a real bank —
//! slowness, 5xx, rate limiting, maintenance, dead tokens, broken bodies and broken paging.
//! Switched at start (`kura sandbox` flags) or at run time (`PUT /admin/faults`).

use std::sync::Mutex;

use chrono::{DateTime, FixedOffset};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// The switchable faults. Counters (`failNext`, `rateLimitNext`, `malformedJson`,
/// `truncatedBody`, `repeatPage`, `duplicateItem`) apply to that many matching requests and
/// count down; flags stay on until switched off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Faults {
    /// Delay before every `/v1` response.
    pub latency_ms: u64,
    /// Probability (0–1) that a `/v1` request fails with 500 INTERNAL_ERROR or 503
    /// SERVICE_UNAVAILABLE (equally likely; seeded, so a run is reproducible).
    pub error_rate: f64,
    /// The next N `/v1` requests fail with `failStatus`.
    pub fail_next: u32,
    /// 500 (INTERNAL_ERROR) or 503 (SERVICE_UNAVAILABLE) for `failNext`.
    pub fail_status: u16,
    /// Every `/v1` request gets 429 RATE_LIMITED.
    pub rate_limited: bool,
    /// The next N `/v1` requests get 429 RATE_LIMITED.
    pub rate_limit_next: u32,
    /// Seconds announced in `Retry-After` on 429 and 503.
    pub retry_after_seconds: u32,
    /// 503 UNDER_MAINTENANCE on every `/v1` request.
    pub maintenance: bool,
    /// 503 UNDER_MAINTENANCE while the simulated clock is in [from, to).
    pub maintenance_from: Option<DateTime<FixedOffset>>,
    pub maintenance_to: Option<DateTime<FixedOffset>>,
    /// Action, applied once when set: every access token issued so far is reported
    /// TOKEN_EXPIRED from now on (refreshing yields working ones). Reads back `false`.
    pub expire_all_tokens: bool,
    /// Action, applied once when set: every grant, access and refresh token is revoked, so
    /// tokens get INVALID_TOKEN and the user must link again. Reads back `false`.
    pub revoke_all_tokens: bool,
    /// The next N successful `/v1` responses are 200 with a body that is not valid JSON.
    pub malformed_json: u32,
    /// The next N successful `/v1` responses promise a Content-Length and send only half of it,
    /// then close the connection.
    pub truncated_body: u32,
    /// The next N transaction pages requested with a `nextItemKey` repeat the previous page
    /// (with the same `nextItemKey`), so the client sees those lines twice.
    pub repeat_page: u32,
    /// The next N transaction pages requested with a `nextItemKey` start with the last line of
    /// the previous page again.
    pub duplicate_item: u32,
    /// Pages requested with a `nextItemKey` always answer `hasNext: true` with the key of the
    /// second page: paging never ends.
    pub loop_next_item_key: bool,
    /// Transaction lines carry no `itemKey`.
    pub omit_item_key: bool,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            latency_ms: 0,
            error_rate: 0.0,
            fail_next: 0,
            fail_status: 500,
            rate_limited: false,
            rate_limit_next: 0,
            retry_after_seconds: 30,
            maintenance: false,
            maintenance_from: None,
            maintenance_to: None,
            expire_all_tokens: false,
            revoke_all_tokens: false,
            malformed_json: 0,
            truncated_body: 0,
            repeat_page: 0,
            duplicate_item: 0,
            loop_next_item_key: false,
            omit_item_key: false,
        }
    }
}

impl Faults {
    /// Rejects settings that cannot be applied, with a message saying what is allowed.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.error_rate) {
            return Err(format!("errorRate must be between 0 and 1, got {}", self.error_rate));
        }
        if self.fail_status != 500 && self.fail_status != 503 {
            return Err(format!("failStatus must be 500 or 503, got {}", self.fail_status));
        }
        match (self.maintenance_from, self.maintenance_to) {
            (Some(from), Some(to)) if from >= to => Err("maintenanceFrom must be before maintenanceTo".to_owned()),
            (Some(_), None) | (None, Some(_)) => {
                Err("maintenanceFrom and maintenanceTo must be given together".to_owned())
            }
            _ => Ok(()),
        }
    }
}

/// The live fault settings plus the seeded generator behind `errorRate`.
pub struct FaultState {
    faults: Mutex<Faults>,
    rng: Mutex<ChaCha8Rng>,
}

/// Which counter a caller consumes.
#[derive(Clone, Copy)]
pub enum Counter {
    RepeatPage,
    DuplicateItem,
}

impl FaultState {
    pub fn new(seed: u64, faults: Faults) -> Self {
        Self { faults: Mutex::new(faults), rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed ^ 0xFA17)) }
    }

    pub fn get(&self) -> Faults {
        self.faults.lock().expect("faults lock").clone()
    }

    /// Stores `faults` and returns the token actions it asked for (expire all, revoke all),
    /// which the caller applies to the token store; they are not kept as settings.
    pub fn set(&self, mut faults: Faults) -> Result<(bool, bool), String> {
        faults.validate()?;
        let actions = (faults.expire_all_tokens, faults.revoke_all_tokens);
        faults.expire_all_tokens = false;
        faults.revoke_all_tokens = false;
        *self.faults.lock().expect("faults lock") = faults;
        Ok(actions)
    }

    /// Consumes one unit of `counter`; whether the fault applies to this request.
    pub fn take(&self, counter: Counter) -> bool {
        let mut faults = self.faults.lock().expect("faults lock");
        let slot = match counter {
            Counter::RepeatPage => &mut faults.repeat_page,
            Counter::DuplicateItem => &mut faults.duplicate_item,
        };
        take(slot)
    }

    /// The error a `/v1` request gets before it reaches its handler, if any. Order: maintenance,
    /// rate limit, then injected 5xx — as a gateway in front of the API would decide.
    pub(crate) fn gate(&self, now: DateTime<FixedOffset>) -> Option<ApiError> {
        let mut f = self.faults.lock().expect("faults lock");
        let in_window =
            matches!((f.maintenance_from, f.maintenance_to), (Some(from), Some(to)) if from <= now && now < to);
        if f.maintenance || in_window {
            // Until the window ends, or the usual interval when switched on without an end.
            let wait = match f.maintenance_to {
                Some(to) if in_window => (to - now).num_seconds().max(1) as u32,
                _ => f.retry_after_seconds,
            };
            return Some(ApiError::under_maintenance(wait));
        }
        if f.rate_limited || take(&mut f.rate_limit_next) {
            return Some(ApiError::rate_limited(f.retry_after_seconds));
        }
        if take(&mut f.fail_next) {
            return Some(server_error(f.fail_status == 503, f.retry_after_seconds));
        }
        if f.error_rate > 0.0 {
            let mut rng = self.rng.lock().expect("fault rng lock");
            if rng.random_bool(f.error_rate) {
                return Some(server_error(rng.random_bool(0.5), f.retry_after_seconds));
            }
        }
        None
    }
}

impl FaultState {
    /// Whether this successful response is to be corrupted: (malformed JSON, truncated body),
    /// each counting its fault down.
    pub(crate) fn corruption(&self) -> (bool, bool) {
        let mut f = self.faults.lock().expect("faults lock");
        let malformed = take(&mut f.malformed_json);
        (malformed, !malformed && take(&mut f.truncated_body))
    }
}

fn take(slot: &mut u32) -> bool {
    if *slot > 0 {
        *slot -= 1;
        true
    } else {
        false
    }
}

fn server_error(unavailable: bool, retry_after: u32) -> ApiError {
    if unavailable { ApiError::service_unavailable(retry_after) } else { ApiError::internal_error() }
}
