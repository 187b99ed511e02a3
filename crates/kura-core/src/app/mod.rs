//! The command layer: the one set of typed requests, responses and handlers behind both
//! transports — Tauri IPC in the desktop app and `POST /api/{command}` in `kura serve`.
//!
//! Every command has a camelCase name, a request type and a response type (serde, camelCase).
//! [`dispatch`] runs a command by name on JSON; [`bindings::typescript`] turns the same list into
//! the UI's TypeScript types and a name → (request, response) map, so the UI's `call()` is typed
//! end to end and cannot drift from the Rust (a test fails when `ui/src/bindings` is stale).

pub mod alerts;
pub mod bindings;
pub mod books;
pub mod categories;
mod context;
pub mod data_folder;
mod error;
pub mod export;
pub mod history;
pub mod household;
pub mod institutions;
pub mod lines;
pub mod linking;
pub mod links;
pub mod monthly_export;
pub mod overview;
pub mod reminders;
pub mod rules;
pub mod settings;
pub mod share;
pub mod sync;
pub mod sync_log;

pub use context::AppContext;
pub use error::{CommandError, CommandFailure, ErrorKind, RequestError};

use serde_json::Value;

/// Declares the commands once: the dispatcher and the TypeScript map both come from this list.
macro_rules! commands {
    ($($name:literal => $handler:path : $req:ty => $resp:ty),+ $(,)?) => {
        /// The names of all commands, in declaration order.
        pub const COMMAND_NAMES: &[&str] = &[$($name),+];

        /// Runs the command `name` with `args` (its request as JSON; `null` for an empty one).
        pub async fn dispatch(ctx: &AppContext, name: &str, args: Value) -> Result<Value, CommandError> {
            match name {
                $($name => {
                    let args = if args.is_null() { Value::Object(Default::default()) } else { args };
                    let request: $req = serde_json::from_value(args).map_err(|e| CommandError::BadRequest {
                        command: name.to_owned(),
                        detail: e.to_string(),
                    })?;
                    let response: $resp = $handler(ctx, request).await?;
                    Ok(serde_json::to_value(response).expect("command responses serialise"))
                })+
                _ => Err(CommandError::UnknownCommand(name.to_owned())),
            }
        }

        /// `(name, request type, response type)` of every command, for the bindings.
        fn command_signatures(cfg: &ts_rs::Config) -> Vec<(&'static str, String, String)> {
            use ts_rs::TS;
            vec![$(($name, <$req>::name(cfg), <$resp>::name(cfg))),+]
        }

        /// Every type that crosses the boundary, declared in the bindings file.
        fn declarations(cfg: &ts_rs::Config) -> Vec<String> {
            use ts_rs::TS;
            let mut decls = vec![
                CommandFailure::decl(cfg),
                ErrorKind::decl(cfg),
                $(<$req>::decl(cfg), <$resp>::decl(cfg),)+
            ];
            decls.extend(bindings::supporting_declarations(cfg));
            decls
        }
    };
}

commands! {
    "institutionsSearch" => institutions::search: institutions::InstitutionsSearchRequest => institutions::InstitutionsSearchResponse,
    "settingsGet" => settings::get: settings::SettingsGetRequest => settings::SettingsResponse,
    "settingsSet" => settings::set: settings::SettingsSetRequest => settings::SettingsResponse,
    "dataFolderMove" => data_folder::move_folder: data_folder::DataFolderMoveRequest => data_folder::DataFolderStatus,
    "linksList" => links::list: links::LinksListRequest => links::LinksListResponse,
    "linkStart" => links::start: links::LinkStartRequest => links::LinkStartResponse,
    "linkStatus" => links::status: links::LinkStatusRequest => links::LinkAttemptStatus,
    "unlink" => links::unlink: links::UnlinkRequest => links::UnlinkResponse,
    "membersList" => household::list: household::MembersListRequest => household::MembersResponse,
    "memberAdd" => household::add: household::MemberAddRequest => household::MembersResponse,
    "memberUpdate" => household::update: household::MemberUpdateRequest => household::MembersResponse,
    "memberRemove" => household::remove: household::MemberRemoveRequest => household::MembersResponse,
    "linkAssign" => household::assign: household::LinkAssignRequest => household::MembersResponse,
    "shareStatus" => share::status: share::ShareStatusRequest => share::ShareStatus,
    "shareCreate" => share::create: share::ShareCreateRequest => share::ShareCodeResponse,
    "shareJoin" => share::join: share::ShareJoinRequest => share::ShareSyncReport,
    "shareCode" => share::code: share::ShareCodeRequest => share::ShareCodeResponse,
    "shareSync" => share::sync_now: share::ShareSyncRequest => share::ShareSyncReport,
    "shareLeave" => share::leave: share::ShareLeaveRequest => share::ShareStatus,
    "overview" => overview::overview: overview::OverviewRequest => overview::OverviewResponse,
    "transactions" => history::transactions: history::TransactionsPageRequest => history::TransactionsPageResponse,
    "monthlyTotals" => history::monthly: history::MonthlyTotalsRequest => history::MonthlyTotalsResponse,
    "balanceSeries" => history::balance_series: history::BalanceSeriesRequest => history::BalanceSeriesResponse,
    "syncLog" => sync_log::log: sync_log::SyncLogRequest => sync_log::SyncLogResponse,
    "syncRunBody" => sync_log::body: sync_log::SyncRunBodyRequest => sync_log::SyncRunBodyResponse,
    "syncNow" => sync::sync_now: sync::SyncNowRequest => sync::SyncNowResponse,
    "export" => export::export: export::ExportRequest => export::ExportResponse,
    "categoriesList" => categories::list: categories::CategoriesListRequest => categories::CategoriesResponse,
    "categoryCreate" => categories::create: categories::CategoryCreateRequest => categories::CategoryCreateResponse,
    "categoryRename" => categories::rename: categories::CategoryRenameRequest => categories::CategoriesResponse,
    "categoryMove" => categories::move_category: categories::CategoryMoveRequest => categories::CategoriesResponse,
    "categoryUsage" => categories::usage: categories::CategoryUsageRequest => crate::store::CategoryUsage,
    "categoryDelete" => categories::delete: categories::CategoryDeleteRequest => categories::CategoriesResponse,
    "categoryJournalAccount" => categories::journal_account: categories::CategoryJournalAccountRequest => categories::CategoriesResponse,
    "budgetSet" => categories::set_budget: categories::BudgetSetRequest => categories::CategoriesResponse,
    "rulesList" => rules::list: rules::RulesListRequest => rules::RulesResponse,
    "ruleCreate" => rules::create: rules::RuleCreateRequest => rules::RuleCreateResponse,
    "ruleUpdate" => rules::update: rules::RuleUpdateRequest => rules::RulesResponse,
    "ruleMove" => rules::move_rule: rules::RuleMoveRequest => rules::RulesResponse,
    "ruleDelete" => rules::delete: rules::RuleDeleteRequest => rules::RulesResponse,
    "ruleReach" => rules::reach: rules::RuleReachRequest => rules::RuleReachResponse,
    "rulesPreview" => rules::preview: rules::RulesApplyRequest => crate::store::RulesEffect,
    "rulesApply" => rules::apply: rules::RulesApplyRequest => crate::store::RulesEffect,
    "rulesExport" => rules::export: rules::RulesExportRequest => rules::RulesExportResponse,
    "rulesSave" => rules::save: rules::RulesSaveRequest => rules::RulesSaveResponse,
    "rulesImport" => rules::import: rules::RulesImportRequest => rules::RulesImportResponse,
    "lineUpdate" => lines::update: lines::LineUpdateRequest => lines::LineUpdateResponse,
    "booksMonth" => books::month: books::BooksMonthRequest => crate::books::report::MonthReport,
    "booksYear" => books::year: books::BooksYearRequest => books::BooksYearResponse,
}
