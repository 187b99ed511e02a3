//! The books' categories (大項目 / 中項目) and budgets: list, add, rename, move, delete (saying
//! where the lines go), and each category's journal account.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AppContext, CommandError};
use crate::books::{BooksError, Category, Kind};
use crate::model::CategoryId;
use crate::store::NewCategory;

/// A category as the UI lists it.
pub use crate::books::Category as CategoryItem;
/// The categories in display order, for a front end that names them by path.
pub use crate::books::CategoryTree;
pub use crate::books::Kind as CategoryKind;
pub use crate::store::CategoryUsage;

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoriesListRequest {}

/// A 大項目's monthly budget.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BudgetItem {
    pub category_id: i64,
    pub monthly: i64,
}

/// Every category in display order (each 大項目, spending ones first, followed by its 中項目s)
/// and the budgets.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoriesResponse {
    pub categories: Vec<CategoryItem>,
    pub budgets: Vec<BudgetItem>,
}

fn listing(ctx: &AppContext) -> Result<CategoriesResponse, CommandError> {
    let store = ctx.store();
    let categories = store.categories()?.categories;
    let budgets = store.budgets()?.into_iter().map(|(id, monthly)| BudgetItem { category_id: id.0, monthly }).collect();
    Ok(CategoriesResponse { categories, budgets })
}

pub async fn list(ctx: &AppContext, _req: CategoriesListRequest) -> Result<CategoriesResponse, CommandError> {
    listing(ctx)
}

/// The categories, for a front end that resolves names (`kura tx --category 食費`).
pub fn tree(ctx: &AppContext) -> Result<CategoryTree, CommandError> {
    Ok(ctx.store().categories()?)
}

/// The category a person names: `食費`, `外食` or `食費:外食`, in either language, or its ID (as
/// `kura categories` lists it; a name made of digits still means the name).
pub fn find(ctx: &AppContext, name: &str) -> Result<Category, CommandError> {
    let tree = tree(ctx)?;
    let id = match (tree.find(name), name.trim().parse::<i64>()) {
        (Err(BooksError::UnknownCategoryName(_)), Ok(id)) => {
            tree.get(CategoryId(id)).ok_or(BooksError::UnknownCategory(CategoryId(id)))?.id
        }
        (found, _) => found?,
    };
    Ok(tree.get(id).cloned().expect("found in the same tree"))
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryCreateRequest {
    /// The 大項目 of a new 中項目; absent for a new 大項目.
    pub parent_id: Option<i64>,
    /// A new 大項目's kind (a 中項目 takes its 大項目's).
    #[serde(default = "expense")]
    pub kind: CategoryKind,
    pub name: String,
    pub name_en: Option<String>,
}

fn expense() -> Kind {
    Kind::Expense
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryCreateResponse {
    pub id: i64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub listing: CategoriesResponse,
}

pub async fn create(ctx: &AppContext, req: CategoryCreateRequest) -> Result<CategoryCreateResponse, CommandError> {
    let new = NewCategory {
        parent_id: req.parent_id.map(CategoryId),
        kind: req.kind,
        name: req.name,
        name_en: req.name_en.filter(|n| !n.trim().is_empty()),
    };
    let id = ctx.store().create_category(&new, chrono::Utc::now())?;
    Ok(CategoryCreateResponse { id: id.0, listing: listing(ctx)? })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryRenameRequest {
    pub id: i64,
    pub name: String,
    /// The English name; absent or empty drops it (the name is shown in English too).
    pub name_en: Option<String>,
}

pub async fn rename(ctx: &AppContext, req: CategoryRenameRequest) -> Result<CategoriesResponse, CommandError> {
    let name_en = req.name_en.as_deref().map(str::trim).filter(|n| !n.is_empty());
    ctx.store().rename_category(CategoryId(req.id), Some(&req.name), Some(name_en))?;
    listing(ctx)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryMoveRequest {
    pub id: i64,
    /// The 大項目 to move under; absent to make it a 大項目.
    pub parent_id: Option<i64>,
    /// Its place among its new siblings (0 first); absent keeps it, or puts it last when the
    /// parent changes.
    pub position: Option<u32>,
}

pub async fn move_category(ctx: &AppContext, req: CategoryMoveRequest) -> Result<CategoriesResponse, CommandError> {
    ctx.store().move_category(
        CategoryId(req.id),
        Some(req.parent_id.map(CategoryId)),
        req.position.map(|p| p as usize),
    )?;
    listing(ctx)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryUsageRequest {
    pub id: i64,
}

pub async fn usage(ctx: &AppContext, req: CategoryUsageRequest) -> Result<CategoryUsage, CommandError> {
    Ok(ctx.store().category_usage(CategoryId(req.id))?)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryDeleteRequest {
    pub id: i64,
    /// Where its lines and rules go; absent: the lines become uncategorised.
    pub move_to: Option<i64>,
}

pub async fn delete(ctx: &AppContext, req: CategoryDeleteRequest) -> Result<CategoriesResponse, CommandError> {
    ctx.store().delete_category(CategoryId(req.id), req.move_to.map(CategoryId))?;
    listing(ctx)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryJournalAccountRequest {
    pub id: i64,
    /// e.g. `Expenses:Food:Dining`; absent or empty goes back to the one made from its names.
    pub account: Option<String>,
}

pub async fn journal_account(
    ctx: &AppContext,
    req: CategoryJournalAccountRequest,
) -> Result<CategoriesResponse, CommandError> {
    let account = req.account.as_deref().filter(|a| !a.trim().is_empty());
    ctx.store().set_category_journal_account(CategoryId(req.id), account)?;
    listing(ctx)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BudgetSetRequest {
    pub category_id: i64,
    /// Yen a month; absent removes the budget.
    pub monthly: Option<i64>,
}

pub async fn set_budget(ctx: &AppContext, req: BudgetSetRequest) -> Result<CategoriesResponse, CommandError> {
    ctx.store().set_budget(CategoryId(req.category_id), req.monthly)?;
    listing(ctx)
}
