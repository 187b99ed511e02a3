//! `kura rules`: the rules that file lines into categories, in the order they run; add, edit,
//! reorder and delete them, apply them to the stored lines (with a dry run that shows what would
//! change), and move them between books as a TOML file.

use std::io::Read;
use std::path::PathBuf;

use kura_core::app::AppContext;
use kura_core::app::categories::{self, CategoryTree};
use kura_core::app::history::Flow;
use kura_core::app::rules::{
    self, MatchKind, RuleCreateRequest, RuleDeleteRequest, RuleItem, RuleMoveRequest, RuleSpec, RuleUpdateRequest,
    RulesApplyRequest, RulesEffect, RulesExportRequest, RulesImportRequest, RulesListRequest, RulesSaveRequest,
};
use kura_core::format::{date, signed_yen};
use kura_core::i18n::{Explanation, Language, text};
use kura_core::model::{AccountId, CategoryId};
use kura_core::t;

use crate::books::{action, condition, find, parse_yen, path_or_uncategorised};
use crate::error::CliError;
use crate::term::{Term, columns, table};

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
    Edit(EditArgs),
    Move(MoveArgs),
    Delete(IdArgs),
    Enable(IdArgs),
    Disable(IdArgs),
    Apply(ApplyArgs),
    Export(ExportArgs),
    Import(ImportArgs),
}

/// A rule's conditions and actions, as `add` takes them and `edit` changes them.
#[derive(clap::Args, Debug)]
struct RuleFlags {
    #[arg(long, value_name = "PATTERN", group = "pattern")]
    contains: Option<String>,
    #[arg(long, value_name = "PATTERN", group = "pattern")]
    is: Option<String>,
    #[arg(long, value_name = "PATTERN", group = "pattern")]
    starts_with: Option<String>,
    #[arg(long, value_name = "PATTERN", group = "pattern")]
    regex: Option<String>,
    #[arg(long, value_name = "CATEGORY")]
    category: Option<String>,
    #[arg(long, value_name = "TEXT")]
    memo: Option<String>,
    #[arg(long)]
    transfer: bool,
    #[arg(long = "in", conflicts_with = "out")]
    incoming: bool,
    #[arg(long)]
    out: bool,
    #[arg(long, value_name = "YEN", value_parser = parse_yen)]
    min: Option<i64>,
    #[arg(long, value_name = "YEN", value_parser = parse_yen)]
    max: Option<i64>,
    #[arg(long, value_name = "ID")]
    account: Option<i64>,
}

impl RuleFlags {
    /// The remarks condition given, if any.
    fn pattern(&self) -> Option<(MatchKind, String)> {
        [
            (MatchKind::Contains, &self.contains),
            (MatchKind::Is, &self.is),
            (MatchKind::StartsWith, &self.starts_with),
            (MatchKind::Regex, &self.regex),
        ]
        .into_iter()
        .find_map(|(kind, p)| p.clone().map(|p| (kind, p)))
    }

    fn direction(&self) -> Option<Flow> {
        match (self.incoming, self.out) {
            (true, _) => Some(Flow::In),
            (_, true) => Some(Flow::Out),
            _ => None,
        }
    }

    /// `--category`: a category, or `none` for no category.
    fn category(&self, ctx: &AppContext, lang: Language) -> Result<Option<Option<CategoryId>>, CliError> {
        match self.category.as_deref() {
            None => Ok(None),
            Some(name) if name.trim().eq_ignore_ascii_case("none") => Ok(Some(None)),
            Some(name) => Ok(Some(Some(find(ctx, lang, name)?.id))),
        }
    }
}

#[derive(clap::Args, Debug)]
struct AddArgs {
    #[command(flatten)]
    rule: RuleFlags,
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    position: Option<u32>,
    #[arg(long)]
    disabled: bool,
}

#[derive(clap::Args, Debug)]
struct EditArgs {
    id: i64,
    #[command(flatten)]
    rule: RuleFlags,
    #[arg(long, conflicts_with = "transfer")]
    no_transfer: bool,
    #[arg(long, conflicts_with_all = ["incoming", "out"])]
    any_direction: bool,
    #[arg(long, conflicts_with = "min")]
    no_min: bool,
    #[arg(long, conflicts_with = "max")]
    no_max: bool,
    #[arg(long, conflicts_with = "account")]
    any_account: bool,
}

#[derive(clap::Args, Debug)]
struct MoveArgs {
    id: i64,
    #[arg(value_parser = clap::value_parser!(u32).range(1..))]
    position: u32,
}

#[derive(clap::Args, Debug)]
struct IdArgs {
    id: i64,
}

#[derive(clap::Args, Debug)]
struct ApplyArgs {
    #[arg(long, value_name = "ID")]
    rule: Option<i64>,
    #[arg(long, conflicts_with = "yes")]
    dry_run: bool,
    #[arg(long, short)]
    yes: bool,
}

#[derive(clap::Args, Debug)]
struct ExportArgs {
    file: Option<PathBuf>,
    #[arg(long, requires = "file")]
    force: bool,
}

#[derive(clap::Args, Debug)]
struct ImportArgs {
    file: PathBuf,
    #[arg(long)]
    replace: bool,
}

pub async fn run(args: Args, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    match args.command {
        None => {
            let listing = rules::list(ctx, RulesListRequest {}).await?;
            match args.json {
                true => println!("{}", serde_json::to_string_pretty(&listing).expect("rules serialise")),
                false => print!("{}", listing_text(&listing.rules, &categories::tree(ctx)?, lang)),
            }
        }
        Some(Command::Add(a)) => add(a, ctx, lang).await?,
        Some(Command::Edit(a)) => edit(a, ctx, lang).await?,
        Some(Command::Move(a)) => {
            let listing = rules::move_rule(ctx, RuleMoveRequest { id: a.id, position: a.position - 1 }).await?;
            let moved = listing.rules.iter().find(|r| r.id.0 == a.id).expect("a moved rule stays");
            println!("{}", t!(lang, "cli-rules-moved", id = a.id, position = moved.position + 1));
        }
        Some(Command::Delete(a)) => {
            let rule = rules::get(ctx, a.id)?;
            let tree = categories::tree(ctx)?;
            rules::delete(ctx, RuleDeleteRequest { id: a.id }).await?;
            println!("{}", t!(lang, "cli-rules-deleted", id = a.id, rule = summary(&rule.spec, &tree, lang)));
        }
        Some(Command::Enable(a)) => switch(a.id, true, ctx, lang).await?,
        Some(Command::Disable(a)) => switch(a.id, false, ctx, lang).await?,
        Some(Command::Apply(a)) => apply(a, ctx, term).await?,
        Some(Command::Export(a)) => export(a, ctx, lang).await?,
        Some(Command::Import(a)) => {
            let toml = read_file(&a.file, lang)?;
            let imported = rules::import(ctx, RulesImportRequest { toml, replace: a.replace }).await?;
            println!(
                "{}",
                t!(lang, "cli-rules-imported", count = imported.imported, total = imported.listing.rules.len())
            );
            println!("{}", t!(lang, "cli-rules-apply-hint"));
        }
    }
    Ok(())
}

async fn add(a: AddArgs, ctx: &AppContext, lang: Language) -> Result<(), CliError> {
    let (match_kind, pattern) = a.rule.pattern().unwrap_or((MatchKind::Contains, String::new()));
    let spec = RuleSpec {
        match_kind,
        pattern,
        direction: a.rule.direction(),
        min_amount: a.rule.min,
        max_amount: a.rule.max,
        account_id: a.rule.account.map(AccountId),
        category_id: a.rule.category(ctx, lang)?.flatten(),
        memo: a.rule.memo.clone(),
        transfer: a.rule.transfer,
        enabled: !a.disabled,
    };
    let created = rules::create(ctx, RuleCreateRequest { spec, position: a.position.map(|p| p - 1) }).await?;
    let rule = created.listing.rules.iter().find(|r| r.id.0 == created.id).expect("the new rule is listed");
    let tree = categories::tree(ctx)?;
    let (id, position) = (created.id, rule.position + 1);
    println!("{}", t!(lang, "cli-rules-added", id, position, rule = summary(&rule.spec, &tree, lang)));
    print_reach(ctx, lang, created.id).await
}

async fn edit(a: EditArgs, ctx: &AppContext, lang: Language) -> Result<(), CliError> {
    let mut spec = rules::get(ctx, a.id)?.spec;
    if let Some((kind, pattern)) = a.rule.pattern() {
        (spec.match_kind, spec.pattern) = (kind, pattern);
    }
    if let Some(direction) = a.rule.direction() {
        spec.direction = Some(direction);
    }
    if a.any_direction {
        spec.direction = None;
    }
    spec.min_amount = if a.no_min { None } else { a.rule.min.or(spec.min_amount) };
    spec.max_amount = if a.no_max { None } else { a.rule.max.or(spec.max_amount) };
    spec.account_id = if a.any_account { None } else { a.rule.account.map(AccountId).or(spec.account_id) };
    if let Some(category) = a.rule.category(ctx, lang)? {
        spec.category_id = category;
    }
    if let Some(memo) = a.rule.memo.clone() {
        // An empty memo drops it.
        spec.memo = Some(memo).filter(|m| !m.trim().is_empty());
    }
    if a.rule.transfer || a.no_transfer {
        spec.transfer = a.rule.transfer;
    }
    let listing = rules::update(ctx, RuleUpdateRequest { id: a.id, spec }).await?;
    let rule = listing.rules.iter().find(|r| r.id.0 == a.id).expect("an edited rule stays");
    let tree = categories::tree(ctx)?;
    println!("{}", t!(lang, "cli-rules-edited", id = a.id, rule = summary(&rule.spec, &tree, lang)));
    print_reach(ctx, lang, a.id).await
}

/// Switches a rule on or off; switching it on says what it would now change.
async fn switch(id: i64, enabled: bool, ctx: &AppContext, lang: Language) -> Result<(), CliError> {
    let mut spec = rules::get(ctx, id)?.spec;
    spec.enabled = enabled;
    rules::update(ctx, RuleUpdateRequest { id, spec }).await?;
    match enabled {
        true => {
            println!("{}", t!(lang, "cli-rules-enabled", id));
            print_reach(ctx, lang, id).await
        }
        false => {
            println!("{}", t!(lang, "cli-rules-disabled", id));
            Ok(())
        }
    }
}

/// How many stored lines the rule would now file differently, and how to apply it to them.
async fn print_reach(ctx: &AppContext, lang: Language, id: i64) -> Result<(), CliError> {
    let effect = rules::preview(ctx, RulesApplyRequest { rule_id: Some(id) }).await?;
    match effect.lines {
        0 => println!("{}", t!(lang, "cli-rules-reach-none")),
        lines => println!("{}", t!(lang, "cli-rules-reach", lines, id)),
    }
    Ok(())
}

/// Shows what applying the rules would change; then, unless it is a dry run, applies them
/// once the person agrees. The dry run and the run read the same preview, so the run changes
/// exactly what the dry run showed.
async fn apply(a: ApplyArgs, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    let request = RulesApplyRequest { rule_id: a.rule };
    let preview = rules::preview(ctx, request.clone()).await?;
    let tree = categories::tree(ctx)?;
    if preview.lines == 0 {
        println!("{}", t!(lang, "cli-rules-apply-nothing"));
        return Ok(());
    }
    println!("{}", t!(lang, "cli-rules-apply-preview", lines = preview.lines));
    print!("{}", effect_text(&preview, &tree, lang));
    if a.dry_run {
        println!("{}", t!(lang, "cli-rules-dry-run"));
        return Ok(());
    }
    let question = t!(lang, "cli-rules-apply-ask", lines = preview.lines);
    if !term.confirm(a.yes, &question, t!(lang, "cli-rules-apply-say"))? {
        println!("{}", t!(lang, "cli-nothing-changed"));
        return Ok(());
    }
    let applied = rules::apply(ctx, request).await?;
    println!("{}", t!(lang, "cli-rules-applied", lines = applied.lines));
    Ok(())
}

/// The category moves, one a line (`未分類 → 食費:外食  12件`), then a few of the lines with
/// what they become.
fn effect_text(effect: &RulesEffect, tree: &CategoryTree, lang: Language) -> String {
    let moves: Vec<Vec<String>> = effect
        .moves
        .iter()
        .map(|m| {
            vec![
                format!("  {}", path_or_uncategorised(tree, m.from, lang)),
                "→".to_owned(),
                path_or_uncategorised(tree, m.to, lang),
                t!(lang, "cli-lines", lines = m.lines),
            ]
        })
        .collect();
    let mut out = columns(&moves, &[3]);
    if effect.samples.is_empty() {
        return out;
    }
    out.push_str(&t!(lang, "cli-rules-samples"));
    out.push('\n');
    let samples: Vec<Vec<String>> = effect
        .samples
        .iter()
        .map(|l| {
            let mut becomes = vec![path_or_uncategorised(tree, l.to, lang)];
            becomes.extend(l.memo.as_deref().map(|memo| t!(lang, "cli-rule-memo", memo)));
            if l.transfer {
                becomes.push(t!(lang, "cli-rule-transfer"));
            }
            vec![
                format!("  {}", l.id),
                date(l.transaction_date),
                signed_yen(l.amount),
                l.remarks.clone(),
                path_or_uncategorised(tree, l.from, lang),
                "→".to_owned(),
                becomes.join(&t!(lang, "cli-rule-and")),
            ]
        })
        .collect();
    out.push_str(&columns(&samples, &[0, 2]));
    out
}

async fn export(a: ExportArgs, ctx: &AppContext, lang: Language) -> Result<(), CliError> {
    let Some(path) = a.file else {
        print!("{}", rules::export(ctx, RulesExportRequest {}).await?.toml);
        return Ok(());
    };
    let destination = path.display().to_string();
    if !a.force && path.exists() {
        return Err(CliError::said(t!(lang, "cli-rules-export-exists", path = destination.as_str())));
    }
    let saved = rules::save(ctx, RulesSaveRequest { destination }).await?;
    eprintln!("{}", t!(lang, "cli-rules-exported", count = saved.rules, path = saved.path));
    Ok(())
}

/// A rules file's text (`-`: standard input).
fn read_file(path: &std::path::Path, lang: Language) -> Result<String, CliError> {
    let shown = path.display().to_string();
    let mut text = String::new();
    let read = match path.as_os_str() == "-" {
        true => std::io::stdin().read_to_string(&mut text).map(|_| text),
        false => std::fs::read_to_string(path),
    };
    read.map_err(|e| {
        CliError::Said(Explanation::new(t!(lang, "cli-rules-import-unreadable", path = shown)).detail(e.to_string()))
    })
}

/// `condition → action`.
fn summary(spec: &RuleSpec, tree: &CategoryTree, lang: Language) -> String {
    format!("{} → {}", condition(spec, lang), action(spec, tree, lang))
}

/// The rules in the order they run: place, ID, on or off, Kura's own (`*`), what each looks
/// for and what it does.
fn listing_text(rules: &[RuleItem], tree: &CategoryTree, lang: Language) -> String {
    if rules.is_empty() {
        return format!("{}\n", t!(lang, "cli-rules-none"));
    }
    // What a rule does is short and what it looks for may be a long expression: the action
    // comes first, so the columns stay readable.
    let headers =
        ["cli-col-position", "cli-col-id", "cli-col-state", "cli-col-builtin", "cli-col-action", "cli-col-condition"]
            .map(|id| text(lang, id, &Default::default()));
    let rows: Vec<Vec<String>> = rules
        .iter()
        .map(|r| {
            vec![
                (r.position + 1).to_string(),
                r.id.0.to_string(),
                match r.spec.enabled {
                    true => t!(lang, "cli-rules-on"),
                    false => t!(lang, "cli-rules-off"),
                },
                if r.builtin.is_some() { "*".to_owned() } else { String::new() },
                action(&r.spec, tree, lang),
                condition(&r.spec, lang),
            ]
        })
        .collect();
    let mut out = table(&headers, &rows, &[0, 1]);
    out.push_str(&t!(lang, "cli-rules-builtin-note"));
    out.push('\n');
    out
}
