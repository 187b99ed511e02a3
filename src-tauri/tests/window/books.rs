//! 家計簿 in the real window: last month's totals from the store, an uncategorised line filed by
//! hand, the rule Kura then offers accepted and applied to the other lines like it, and the
//! month's figure for the chosen category moving with them.

use std::path::Path;
use std::time::Duration;

use chrono::{Datelike, Days, Months, NaiveDate, TimeDelta, Utc};
use kura_core::format::jst_date;
use kura_core::store::Store;
use kura_core::testing;
use serde_json::{Value, json};

use crate::Sandbox;
use crate::desktop::{Desktop, Home, wait_for};
use crate::fixtures::{demo_grant, prefill, yen};

/// A local diner no starter rule knows, paid three times in the month starting `first` from the
/// first account (the demo's own uncategorised lines vary with the union's dialect).
const DINER: &str = "ﾏﾙｲﾁ ｼﾖｸﾄﾞｳ";
const DINER_BILL: i64 = 1_200;

fn add_diner_lines(data_dir: &Path, first: NaiveDate) {
    let mut store = Store::open(Some(data_dir)).unwrap();
    let link = store.links().unwrap()[0].id;
    let account = store.accounts_of_link(link).unwrap()[0].id;
    let lines: Vec<_> = [2, 11, 20]
        .iter()
        .map(|d| testing::line(first + Days::new(*d), -DINER_BILL, None, DINER, Some(&format!("kura-diner-{d}"))))
        .collect();
    assert_eq!(testing::store_lines(&mut store, account, &lines, Utc::now()).inserted, 3);
}

/// The amount shown for the spending category named `name` (0 when the month has none).
fn figure_amount(desktop: &Desktop, name: &str) -> i64 {
    let text = desktop.session.execute(
        "const row = [...document.querySelectorAll('[data-testid=spending-list] [data-testid=figure]')]
           .find((f) => f.querySelector('.figure-name')?.textContent === arguments[0]);
         return row ? row.querySelector('[data-testid=figure-amount]').textContent : '¥0';",
        json!([name]),
    );
    let text = text.as_str().unwrap_or_default();
    text.trim_start_matches('¥').replace(',', "").parse().unwrap_or_else(|_| panic!("not an amount: {text}"))
}

/// Chooses `value` in the `<select>` with `testid` once it offers it, as a person's choice does (a
/// change event; a controlled select may show the old value until the app has taken the new one).
fn choose(desktop: &Desktop, testid: &str, value: &str) {
    wait_for(&format!("{value} to be offered in {testid}"), Duration::from_secs(30), || {
        desktop.session.execute(
            "const s = document.querySelector(`[data-testid=${arguments[0]}]`);
             if (!s || ![...s.options].some((o) => o.value === arguments[1])) return false;
             s.value = arguments[1];
             s.dispatchEvent(new Event('change', { bubbles: true }));
             return true;",
            json!([testid, value]),
        ) == json!(true)
    });
}

#[test]
fn the_books_screen_files_a_line_and_the_rule_it_offers() {
    let sandbox = Sandbox::start();
    let (tokens, accounts) = demo_grant(sandbox.url());
    let home = Home::new();
    prefill(&home.data_dir(), &tokens, &accounts, Utc::now() + TimeDelta::days(90), &sandbox.rt);
    let last_month = jst_date(Utc::now()) - Months::new(1);
    add_diner_lines(&home.data_dir(), last_month.with_day(1).unwrap());
    let desktop = Desktop::launch(&home, sandbox.url());
    let fresh: Vec<String> = accounts.iter().map(|a| yen(a.balance)).collect();
    desktop
        .wait_for_page("the synced balances on the dashboard", |text| fresh.iter().all(|b| text.contains(b.as_str())));

    // 家計簿, last month (complete: salary, bills, the diner's lines to sort).
    desktop.click("the 家計簿 tab", "//nav//button[normalize-space()='家計簿']");
    desktop.wait_for_page("the month's figures", |text| text.contains("支出の内訳"));
    let month = last_month.format("%Y-%m").to_string();
    choose(&desktop, "month-picker", &month);
    desktop.wait_for_page("last month", |text| text.contains("今月に戻る"));
    desktop.screenshot("desktop-books.png");
    let food_before = figure_amount(&desktop, "食費");

    // The lines to sort; one of the diner's is filed under 外食 by hand.
    desktop.click("the lines to sort", "//button[@data-testid='to-sort']");
    desktop.wait_for_page("the uncategorised lines", |text| text.contains("未分類の明細"));
    let remarks = DINER;
    desktop.click(
        "the line's category",
        &format!("(//*[@data-testid='drill']//div[@data-testid='tx-row'][.//span[@class='text' and .='{remarks}']]//button[@data-testid='line-category'])[1]"),
    );
    desktop.wait_for_page("the line's editor", |text| text.contains("明細の分類"));
    let dining = desktop.session.execute(
        "return [...document.querySelectorAll('[data-testid=line-category-picker] option')].find((o) => o.textContent === '外食')?.value ?? null",
        json!([]),
    );
    choose(&desktop, "line-category-picker", dining.as_str().expect("no 外食 in the picker"));

    // Kura offers a rule for lines like it; accepting files the other ones.
    let offer = desktop.wait_for_page("the offered rule", |text| text.contains("いつもこう分類する"));
    assert!(offer.contains("このような明細をいつもこのカテゴリーにしますか"), "{offer}");
    assert!(offer.contains("ほかに 2 件の明細が"), "the other two diner lines: {offer}");
    desktop.click("accept the rule", "//button[@data-testid='rule-offer-accept']");
    let done = desktop.wait_for_page("the rule applied", |text| text.contains("ルールを作り、"));
    desktop.screenshot("desktop-books-rule.png");
    desktop.click("close the editor", "//dialog//button[normalize-space()='閉じる']");

    // None of those lines is left to sort, and the month's 食費 grew by all three.
    desktop.wait_for_page("the lines to leave the list", |_| {
        let left = desktop.session.execute(
            "return [...document.querySelectorAll('[data-testid=drill] .remarks .text')].filter((t) => t.textContent === arguments[0]).length",
            json!([remarks]),
        );
        left == Value::from(0)
    });
    desktop.wait_for_page("the month's 食費 to grow by the diner's lines", |_| {
        figure_amount(&desktop, "食費") == food_before + 3 * DINER_BILL
    });
    assert!(done.contains("件の明細に当てはめました"), "{done}");
    desktop.screenshot("desktop-books-after.png");
    desktop.close();
    sandbox.stop();
}
