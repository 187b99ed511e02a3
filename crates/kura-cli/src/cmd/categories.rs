//! `kura categories`: the books' categories (大項目 and their 中項目s) with their budgets; add,
//! rename, move and delete them, choose the journal account one posts to, set a 大項目's budget.

use kura_core::app::AppContext;
use kura_core::app::categories::{
    self, BudgetSetRequest, CategoriesListRequest, CategoriesResponse, CategoryCreateRequest, CategoryDeleteRequest,
    CategoryItem, CategoryJournalAccountRequest, CategoryKind, CategoryMoveRequest, CategoryRenameRequest,
    CategoryUsage, CategoryUsageRequest,
};
use kura_core::format::yen;
use kura_core::i18n::{Language, text};
use kura_core::t;

use crate::books::{find, parse_yen, shell_word};
use crate::error::CliError;
use crate::term::{Term, table};

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[arg(long)]
    json: bool,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    Add(AddArgs),
    Rename(RenameArgs),
    Move(MoveArgs),
    Delete(DeleteArgs),
    Account(AccountArgs),
    Budget(BudgetArgs),
}

#[derive(clap::Args, Debug)]
struct AddArgs {
    name: String,
    #[arg(long, value_name = "CATEGORY")]
    parent: Option<String>,
    #[arg(long, value_name = "NAME")]
    en: Option<String>,
    #[arg(long, conflicts_with = "parent")]
    income: bool,
}

#[derive(clap::Args, Debug)]
#[command(group = clap::ArgGroup::new("new_name").args(["name", "en"]).multiple(true).required(true))]
struct RenameArgs {
    category: String,
    name: Option<String>,
    #[arg(long, value_name = "NAME")]
    en: Option<String>,
}

#[derive(clap::Args, Debug)]
#[command(group = clap::ArgGroup::new("place").args(["parent", "top", "position"]).multiple(true).required(true))]
struct MoveArgs {
    category: String,
    #[arg(long, value_name = "CATEGORY", conflicts_with = "top")]
    parent: Option<String>,
    #[arg(long)]
    top: bool,
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    position: Option<u32>,
}

#[derive(clap::Args, Debug)]
struct DeleteArgs {
    category: String,
    #[arg(long, value_name = "CATEGORY")]
    move_to: Option<String>,
    #[arg(long, short)]
    yes: bool,
}

#[derive(clap::Args, Debug)]
struct AccountArgs {
    category: String,
    #[arg(required_unless_present = "default", conflicts_with = "default")]
    account: Option<String>,
    #[arg(long)]
    default: bool,
}

#[derive(clap::Args, Debug)]
struct BudgetArgs {
    category: String,
    #[arg(value_name = "YEN", value_parser = parse_yen, required_unless_present = "remove", conflicts_with = "remove")]
    amount: Option<i64>,
    #[arg(long)]
    remove: bool,
}

pub async fn run(args: Args, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    match args.command {
        None => {
            let listing = categories::list(ctx, CategoriesListRequest {}).await?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&listing).expect("categories serialise"));
                return Ok(());
            }
            let mut usage = Vec::with_capacity(listing.categories.len());
            for c in &listing.categories {
                usage.push(categories::usage(ctx, CategoryUsageRequest { id: c.id.0 }).await?);
            }
            print!("{}", listing_text(&listing, &usage, lang));
        }
        Some(Command::Add(a)) => {
            let parent = a.parent.as_deref().map(|p| find(ctx, lang, p)).transpose()?;
            let kind = if a.income { CategoryKind::Income } else { CategoryKind::Expense };
            let request =
                CategoryCreateRequest { parent_id: parent.map(|p| p.id.0), kind, name: a.name, name_en: a.en };
            let created = categories::create(ctx, request).await?;
            let path = path_in(&created.listing, created.id, lang);
            println!("{}", t!(lang, "cli-categories-added", path, id = created.id));
        }
        Some(Command::Rename(a)) => {
            let c = find(ctx, lang, &a.category)?;
            let old = path_of(ctx, &c, lang)?;
            // Only what is given changes: the English name stays unless --en is given.
            let request = CategoryRenameRequest {
                id: c.id.0,
                name: a.name.unwrap_or_else(|| c.name.clone()),
                name_en: a.en.or(c.name_en.clone()),
            };
            let listing = categories::rename(ctx, request).await?;
            println!("{}", t!(lang, "cli-categories-renamed", old, new = path_in(&listing, c.id.0, lang)));
        }
        Some(Command::Move(a)) => {
            let c = find(ctx, lang, &a.category)?;
            let parent = match (&a.parent, a.top) {
                (Some(p), _) => Some(find(ctx, lang, p)?.id.0),
                (None, true) => None,
                // Only the place among its siblings changes.
                (None, false) => c.parent_id.map(|p| p.0),
            };
            let request = CategoryMoveRequest { id: c.id.0, parent_id: parent, position: a.position.map(|p| p - 1) };
            let listing = categories::move_category(ctx, request).await?;
            let moved = listing.categories.iter().find(|m| m.id == c.id).expect("a moved category stays");
            let path = path_in(&listing, c.id.0, lang);
            println!("{}", t!(lang, "cli-categories-moved", path, position = moved.position + 1));
        }
        Some(Command::Delete(a)) => delete(a, ctx, term).await?,
        Some(Command::Account(a)) => {
            let c = find(ctx, lang, &a.category)?;
            let request = CategoryJournalAccountRequest { id: c.id.0, account: a.account.clone() };
            let listing = categories::journal_account(ctx, request).await?;
            let path = path_in(&listing, c.id.0, lang);
            match a.account {
                Some(account) => println!("{}", t!(lang, "cli-categories-account-set", path, account)),
                None => println!("{}", t!(lang, "cli-categories-account-default", path)),
            }
        }
        Some(Command::Budget(a)) => {
            let c = find(ctx, lang, &a.category)?;
            let listing =
                categories::set_budget(ctx, BudgetSetRequest { category_id: c.id.0, monthly: a.amount }).await?;
            let path = path_in(&listing, c.id.0, lang);
            match a.amount {
                Some(amount) => println!("{}", t!(lang, "cli-categories-budget-set", path, amount = yen(amount))),
                None => println!("{}", t!(lang, "cli-categories-budget-removed", path)),
            }
        }
    }
    Ok(())
}

/// Deletes a category: its lines and rules go where `--move-to` says; without it, the person
/// first sees what would become uncategorised and confirms.
async fn delete(a: DeleteArgs, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    let c = find(ctx, lang, &a.category)?;
    let path = path_of(ctx, &c, lang)?;
    let target = a.move_to.as_deref().map(|m| find(ctx, lang, m)).transpose()?;
    let usage = categories::usage(ctx, CategoryUsageRequest { id: c.id.0 }).await?;
    let tree = categories::tree(ctx)?;
    let children: Vec<String> = tree.children(c.id).map(|k| k.name_in(lang).to_owned()).collect();
    if target.is_none() {
        println!("{}", t!(lang, "cli-categories-delete-heading", path = path.as_str()));
        if usage.lines == 0 && usage.rules == 0 && children.is_empty() && !usage.has_budget {
            println!("  {}", t!(lang, "cli-categories-delete-unused"));
        }
        if usage.lines > 0 {
            println!("  {}", t!(lang, "cli-categories-delete-lines", lines = usage.lines));
        }
        if usage.rules > 0 {
            println!("  {}", t!(lang, "cli-categories-delete-rules", rules = usage.rules));
        }
        if !children.is_empty() {
            let names = children.join(&t!(lang, "cli-list-separator"));
            println!("  {}", t!(lang, "cli-categories-delete-children", count = children.len(), names));
        }
        if usage.has_budget {
            println!("  {}", t!(lang, "cli-categories-delete-budget"));
        }
        let question = t!(lang, "cli-categories-delete-ask", path = path.as_str());
        let unasked = t!(lang, "cli-categories-delete-say", path = path.as_str(), category = shell_word(&a.category));
        if !term.confirm(a.yes, &question, unasked)? {
            println!("{}", t!(lang, "cli-nothing-changed"));
            return Ok(());
        }
    }
    let request = CategoryDeleteRequest { id: c.id.0, move_to: target.as_ref().map(|to| to.id.0) };
    let listing = categories::delete(ctx, request).await?;
    match target {
        Some(to) => {
            let target = path_in(&listing, to.id.0, lang);
            println!(
                "{}",
                t!(lang, "cli-categories-deleted-moved", path, lines = usage.lines, rules = usage.rules, target)
            );
        }
        None => println!("{}", t!(lang, "cli-categories-deleted", path)),
    }
    Ok(())
}

/// `大項目` or `大項目:中項目` of category `id` in the listing an answer carried.
fn path_in(listing: &CategoriesResponse, id: i64, lang: Language) -> String {
    let tree = categories::CategoryTree { categories: listing.categories.clone() };
    tree.path(kura_core::model::CategoryId(id), lang).unwrap_or_else(|| id.to_string())
}

fn path_of(ctx: &AppContext, c: &CategoryItem, lang: Language) -> Result<String, CliError> {
    Ok(categories::tree(ctx)?.path(c.id, lang).unwrap_or_else(|| c.name_in(lang).to_owned()))
}

/// The categories as two tables, spending then income: each 大項目 followed by its 中項目s
/// (indented), the name in the person's language with the other language's beside it, the
/// lines and rules filed there (`usage`, in the listing's order), the budget and the journal
/// account the person chose.
fn listing_text(listing: &CategoriesResponse, usage: &[CategoryUsage], lang: Language) -> String {
    let headers = [
        "cli-col-id",
        "cli-col-category",
        "cli-col-other-name",
        "cli-col-lines",
        "cli-col-rules",
        "cli-col-budget",
        "cli-col-journal-account",
    ]
    .map(|id| text(lang, id, &Default::default()));
    let budget = |c: &CategoryItem| {
        listing.budgets.iter().find(|b| b.category_id == c.id.0).map(|b| yen(b.monthly)).unwrap_or_default()
    };
    let mut out = String::new();
    for (kind, heading) in
        [(CategoryKind::Expense, "cli-categories-spending"), (CategoryKind::Income, "cli-categories-income")]
    {
        let rows: Vec<Vec<String>> = listing
            .categories
            .iter()
            .zip(usage)
            .filter(|(c, _)| c.kind == kind)
            .map(|(c, used)| {
                let indent = if c.parent_id.is_some() { "  " } else { "" };
                let other = match lang {
                    Language::Ja => c.name_en.clone().unwrap_or_default(),
                    Language::En if c.name_en.is_some() => c.name.clone(),
                    Language::En => String::new(),
                };
                vec![
                    c.id.0.to_string(),
                    format!("{indent}{}", c.name_in(lang)),
                    other,
                    used.lines.to_string(),
                    used.rules.to_string(),
                    budget(c),
                    c.journal_account.clone().unwrap_or_default(),
                ]
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&text(lang, heading, &Default::default()));
        out.push('\n');
        out.push_str(&table(&headers, &rows, &[0, 3, 4, 5]));
    }
    out
}
