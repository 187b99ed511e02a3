//! `kura household`: the household's members (世帯メンバー) with their links, accounts and share
//! of the money; add, rename, recolour and remove members, give a link to a member.

use kura_core::app::AppContext;
use kura_core::app::household::{
    self, LinkAssignRequest, MemberAddRequest, MemberRemoveRequest, MemberUpdateRequest, MembersListRequest,
};
use kura_core::app::overview::{self, OverviewRequest};
use kura_core::format::yen;
use kura_core::i18n::text;
use kura_core::t;

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
    Colour(ColourArgs),
    Remove(RemoveArgs),
    Assign(AssignArgs),
}

#[derive(clap::Args, Debug)]
struct AddArgs {
    name: String,
    #[arg(long, value_name = "#RRGGBB")]
    colour: Option<String>,
}

#[derive(clap::Args, Debug)]
struct RenameArgs {
    member: String,
    name: String,
}

#[derive(clap::Args, Debug)]
struct ColourArgs {
    member: String,
    #[arg(value_name = "#RRGGBB")]
    colour: String,
}

#[derive(clap::Args, Debug)]
struct RemoveArgs {
    member: String,
    #[arg(long, value_name = "MEMBER")]
    to: Option<String>,
    #[arg(long, short)]
    yes: bool,
}

#[derive(clap::Args, Debug)]
struct AssignArgs {
    link: i64,
    member: String,
}

pub async fn run(args: Args, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    let id = |word: &str| household::member_by_word(ctx, word).map(|m| m.id.0);
    match args.command {
        None => return show(ctx, term, args.json).await,
        Some(Command::Add(a)) => {
            household::add(ctx, MemberAddRequest { name: a.name.clone(), colour: a.colour }).await?;
            println!("{}", t!(lang, "cli-household-added", name = a.name.trim()));
        }
        Some(Command::Rename(a)) => {
            let request = MemberUpdateRequest { id: id(&a.member)?, name: Some(a.name.clone()), colour: None };
            household::update(ctx, request).await?;
            println!("{}", t!(lang, "cli-household-renamed", old = a.member.trim(), name = a.name.trim()));
        }
        Some(Command::Colour(a)) => {
            let request = MemberUpdateRequest { id: id(&a.member)?, name: None, colour: Some(a.colour.clone()) };
            household::update(ctx, request).await?;
            println!("{}", t!(lang, "cli-household-recoloured", name = a.member.trim(), colour = a.colour.trim()));
        }
        Some(Command::Remove(a)) => {
            let gone = household::member_by_word(ctx, &a.member)?;
            let heir = a.to.as_deref().map(id).transpose()?;
            let question = t!(lang, "cli-household-remove-confirm", name = gone.name.as_str());
            let unasked = t!(lang, "cli-household-remove-unasked", name = gone.name.as_str());
            if !term.confirm(a.yes, &question, unasked)? {
                println!("{}", t!(lang, "cli-household-remove-kept", name = gone.name.as_str()));
                return Ok(());
            }
            let after = household::remove(ctx, MemberRemoveRequest { id: gone.id.0, heir_id: heir }).await?;
            let heir_name = match heir {
                Some(h) => after.members.iter().find(|m| m.id == h).map(|m| m.name.clone()),
                None => after.members.first().map(|m| m.name.clone()),
            };
            println!(
                "{}",
                t!(lang, "cli-household-removed", name = gone.name.as_str(), heir = heir_name.unwrap_or_default())
            );
        }
        Some(Command::Assign(a)) => {
            let member = household::member_by_word(ctx, &a.member)?;
            household::assign(ctx, LinkAssignRequest { link_id: a.link, member_id: member.id.0 }).await?;
            println!("{}", t!(lang, "cli-household-assigned", link = a.link, name = member.name.as_str()));
        }
    }
    Ok(())
}

/// The members with their links, accounts, totals and shares.
async fn show(ctx: &AppContext, term: &Term, json: bool) -> Result<(), CliError> {
    let lang = term.lang;
    let members = household::list(ctx, MembersListRequest {}).await?.members;
    let money = overview::overview(ctx, OverviewRequest::default()).await?;
    if json {
        let value = serde_json::json!({
            "members": members,
            "shares": money.members,
            "householdTotal": money.household_total,
        });
        println!("{}", serde_json::to_string_pretty(&value).expect("members serialise"));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = members
        .iter()
        .map(|m| {
            let share = money.members.iter().find(|s| s.id == m.id);
            vec![
                m.id.to_string(),
                m.name.clone(),
                m.colour.clone(),
                m.link_count.to_string(),
                m.account_count.to_string(),
                share.map(|s| yen(s.total)).unwrap_or_default(),
                share.and_then(|s| s.percent).map(|p| format!("{p}%")).unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let headers = [
        "cli-col-id",
        "cli-col-member",
        "cli-col-colour",
        "cli-col-links",
        "cli-col-accounts",
        "cli-col-balance",
        "cli-col-share",
    ]
    .map(|id| text(lang, id, &Default::default()));
    print!("{}", table(&headers, &rows, &[3, 4, 5, 6]));
    println!("{}", t!(lang, "cli-household-total", total = yen(money.household_total)));
    Ok(())
}
