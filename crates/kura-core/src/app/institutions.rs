//! The union picker of the first run.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AppContext, CommandError};
use crate::institutions;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InstitutionsSearchRequest {
    /// A name, a reading (kana of either width) or the start of a 4-digit code; empty lists all.
    pub query: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InstitutionItem {
    pub code: String,
    pub name: String,
    pub reading: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InstitutionsSearchResponse {
    pub institutions: Vec<InstitutionItem>,
}

pub async fn search(
    _ctx: &AppContext,
    req: InstitutionsSearchRequest,
) -> Result<InstitutionsSearchResponse, CommandError> {
    let institutions = institutions::search(&req.query)
        .into_iter()
        .map(|i| InstitutionItem { code: i.code.clone(), name: i.name.clone(), reading: i.reading.clone() })
        .collect();
    Ok(InstitutionsSearchResponse { institutions })
}
