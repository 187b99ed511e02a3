//! The rules that file lines into categories: list, add (placed by how specific they are), edit,
//! reorder, delete, apply to the stored lines (with a preview of what would change), and move
//! between books as a file.

use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AppContext, CommandError};
use crate::books::RulesFile;
use crate::export::write_atomically;
use crate::model::RuleId;
use crate::store::ApplyScope;

pub use crate::books::{MatchKind, Rule as RuleItem, RuleSpec};
pub use crate::store::{CategoryMove, RefiledLine, RulesEffect};

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RulesListRequest {}

/// Every rule, in the order they run.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RulesResponse {
    pub rules: Vec<RuleItem>,
}

fn listing(ctx: &AppContext) -> Result<RulesResponse, CommandError> {
    Ok(RulesResponse { rules: ctx.store().rules()? })
}

pub async fn list(ctx: &AppContext, _req: RulesListRequest) -> Result<RulesResponse, CommandError> {
    listing(ctx)
}

/// One rule, for a front end that changes part of it (`kura rules edit`).
pub fn get(ctx: &AppContext, id: i64) -> Result<RuleItem, CommandError> {
    Ok(ctx.store().rule(RuleId(id))?)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleCreateRequest {
    pub spec: RuleSpec,
    /// Where it runs (0 first); absent: above the first rule less specific than it.
    pub position: Option<u32>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleCreateResponse {
    pub id: i64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub listing: RulesResponse,
}

pub async fn create(ctx: &AppContext, req: RuleCreateRequest) -> Result<RuleCreateResponse, CommandError> {
    let id = ctx.store().create_rule(&req.spec, req.position.map(|p| p as usize), chrono::Utc::now())?;
    Ok(RuleCreateResponse { id: id.0, listing: listing(ctx)? })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleUpdateRequest {
    pub id: i64,
    pub spec: RuleSpec,
}

pub async fn update(ctx: &AppContext, req: RuleUpdateRequest) -> Result<RulesResponse, CommandError> {
    ctx.store().update_rule(RuleId(req.id), &req.spec, chrono::Utc::now())?;
    listing(ctx)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleMoveRequest {
    pub id: i64,
    /// Its new place (0 runs first).
    pub position: u32,
}

pub async fn move_rule(ctx: &AppContext, req: RuleMoveRequest) -> Result<RulesResponse, CommandError> {
    ctx.store().move_rule(RuleId(req.id), req.position as usize)?;
    listing(ctx)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleDeleteRequest {
    pub id: i64,
}

pub async fn delete(ctx: &AppContext, req: RuleDeleteRequest) -> Result<RulesResponse, CommandError> {
    ctx.store().delete_rule(RuleId(req.id))?;
    listing(ctx)
}

/// Which rules to apply to the stored lines.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RulesApplyRequest {
    /// Only the lines this rule now decides; absent: every rule.
    pub rule_id: Option<i64>,
}

impl RulesApplyRequest {
    fn scope(&self) -> ApplyScope {
        self.rule_id.map_or(ApplyScope::All, |r| ApplyScope::Rule(RuleId(r)))
    }
}

/// What applying would change, changing nothing.
pub async fn preview(ctx: &AppContext, req: RulesApplyRequest) -> Result<RulesEffect, CommandError> {
    Ok(ctx.store().preview_rules(req.scope())?)
}

/// Applies the rules to every stored line they may decide; what the person set stays.
pub async fn apply(ctx: &AppContext, req: RulesApplyRequest) -> Result<RulesEffect, CommandError> {
    Ok(ctx.store().apply_rules(req.scope())?)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleReachRequest {
    pub spec: RuleSpec,
}

/// How many stored lines a rule not yet saved would file differently.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleReachResponse {
    pub lines: i64,
}

pub async fn reach(ctx: &AppContext, req: RuleReachRequest) -> Result<RuleReachResponse, CommandError> {
    Ok(RuleReachResponse { lines: ctx.store().rule_reach(&req.spec)? })
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RulesExportRequest {}

/// The rules as a TOML file (categories by path in the person's language).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RulesExportResponse {
    pub toml: String,
}

pub async fn export(ctx: &AppContext, _req: RulesExportRequest) -> Result<RulesExportResponse, CommandError> {
    let file = ctx.store().export_rules(ctx.language())?;
    Ok(RulesExportResponse { toml: file.to_toml() })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RulesSaveRequest {
    /// The file to write (the path the OS save dialog returned); one already there is replaced.
    pub destination: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RulesSaveResponse {
    pub path: String,
    pub rules: u32,
}

/// The rules file written where the person chose (the desktop app's save dialog; a browser
/// downloads `rulesExport`'s text instead). The file appears only once it is complete.
pub async fn save(ctx: &AppContext, req: RulesSaveRequest) -> Result<RulesSaveResponse, CommandError> {
    let file = ctx.store().export_rules(ctx.language())?;
    let path = PathBuf::from(&req.destination);
    write_atomically(&path, |out| Ok(out.write_all(file.to_toml().as_bytes())?))?;
    Ok(RulesSaveResponse { path: path.display().to_string(), rules: file.rules.len() as u32 })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RulesImportRequest {
    pub toml: String,
    /// Replace every rule instead of adding after them.
    #[serde(default)]
    pub replace: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RulesImportResponse {
    pub imported: u32,
    #[serde(flatten)]
    #[ts(flatten)]
    pub listing: RulesResponse,
}

/// Adds a file's rules; nothing is stored unless every rule in it can be.
pub async fn import(ctx: &AppContext, req: RulesImportRequest) -> Result<RulesImportResponse, CommandError> {
    let file = RulesFile::parse(&req.toml)?;
    let imported = ctx.store().import_rules(&file, req.replace, chrono::Utc::now())?;
    Ok(RulesImportResponse { imported: imported as u32, listing: listing(ctx)? })
}
