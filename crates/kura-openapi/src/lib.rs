//! The federation Open API's shared vocabulary (`docs/openapi.yaml`): what both its sides — Kura's
//! client (`kura-core`) and the simulated bank (`kura-sandbox`) — name the same way, declared
//! once. The field names are the API's (camelCase on the wire), which the app's own JSON and the
//! UI's types reuse.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Who an account is at its union, as statements print it: carried whole by every view of an
/// account (the API's listing, the overview, exports).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountIdentity {
    /// 4-digit financial institution code (金融機関コード).
    pub bank_code: String,
    /// 3-digit branch code.
    pub branch_code: String,
    pub branch_name: String,
    /// `01` 普通, `02` 当座, `04` 貯蓄, `11` 定期.
    pub account_type_code: String,
    pub account_type_name: String,
    pub account_number: String,
    /// The holder's name in half-width katakana, as the bank prints it.
    #[serde(default)]
    pub account_name_kana: String,
}
