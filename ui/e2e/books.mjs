// 家計簿 end to end through `kura serve` in headless Chromium, against the sandbox's demo data:
// the month's totals equal the sum of their category rows; a category drills down to its lines;
// an uncategorised line is recategorised by hand, the rule Kura offers is accepted and files the
// other lines like it (the month's figures move); a rule with a regular expression that does not
// compile is refused next to its field; a budget shows its pace; the screen in English.
//
// Needs KURA_BIN (built with the UI embedded), a reachable OS keyring (scripts/with-keyring.sh)
// and /usr/bin/chromium. Screenshots go to SCREENSHOT_DIR.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { KURA, SHOTS, freePort, kuraEnv, launchChromium, nextOpened, runScenario, signInAndAllow, start as startChild, waitFor, screenshots, yen } from "./support.mjs";

const work = mkdtempSync(join(tmpdir(), "kura-e2e-books-"));
const children = [];

function start(name, args, env, ready) {
  return startChild(name, KURA, args, env, ready, { onSpawn: (child) => children.push(child) });
}

const shot = screenshots("books-");

/** The JST month of now moved by `n` months, "YYYY-MM". */
function jstMonth(n) {
  const now = new Date(Date.now() + 9 * 3600_000);
  const index = now.getUTCFullYear() * 12 + now.getUTCMonth() + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

let mainPage = null;

async function main() {
  const sandboxPort = await freePort();
  await start("sandbox", ["sandbox", "--port", String(sandboxPort)], {}, /127\.0\.0\.1:\d+/);
  const { env, opened } = kuraEnv(work, sandboxPort);
  const { match } = await start("serve", ["serve"], env, /(http:\/\/127\.0\.0\.1:(\d+)\/#token=[0-9a-f]+)/);
  const [, appUrl, servePort] = match;
  const token = new URL(appUrl).hash.replace(/^#token=/, "");
  const api = async (name, body) => {
    const res = await fetch(`http://127.0.0.1:${servePort}/api/${name}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Kura-Token": token },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, `${name}: ${await res.clone().text()}`);
    return res.json();
  };

  const browser = await launchChromium();
  try {
    // The demo link (the main journey tests linking through the UI; here it is only the data).
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    await api("linkStart", { bankCode: "2011" });
    await signInAndAllow(context, await nextOpened(opened, 0));
    await waitFor(
      "the first sync to finish",
      async () => {
        const { runs } = await api("syncLog", { linkId: null, before: null, limit: 10 });
        return runs.length > 0 && runs.every((r) => r.state !== "running");
      },
      90_000,
    );

    const page = await context.newPage();
    mainPage = page;
    const consoleErrors = [];
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    await page.goto(appUrl);

    // 家計簿 opens on this month; its totals mark their first paint for the benchmark.
    await page.getByRole("button", { name: "家計簿", exact: true }).click();
    await page.getByRole("heading", { name: "家計簿" }).waitFor();
    await page.getByTestId("books-spending").waitFor();
    await waitFor("the paint mark", () => page.evaluate(() => performance.getEntriesByName("kura:books-total", "mark").length === 1));

    // Last month (complete, with salary, bills and uncategorised lines).
    const month = jstMonth(-1);
    await page.getByTestId("month-picker").selectOption(month);
    const monthReport = async () => api("booksMonth", { month, accounts: [] });
    let report = await monthReport();
    const shownTotals = async () => ({
      spending: yen(await page.getByTestId("books-spending").innerText()),
      income: yen(await page.getByTestId("books-income").innerText()),
      net: yen(await page.getByTestId("books-net").innerText()),
    });
    await waitFor("last month's totals", async () => (await shownTotals()).spending === report.spending);
    const totals = await shownTotals();
    assert.deepEqual(totals, { spending: report.spending, income: report.income, net: report.income - report.spending });
    assert.ok(totals.spending > 0 && totals.income > 0, JSON.stringify(totals));
    const rowSum = async (list) => {
      const amounts = await page.getByTestId(list).getByTestId("figure-amount").allInnerTexts();
      return amounts.map(yen).reduce((a, b) => a + b, 0);
    };
    assert.equal(await rowSum("spending-list"), totals.spending, "spending rows add up to the spending total");
    assert.equal(await rowSum("income-list"), totals.income, "income rows add up to the income total");
    // Transfers are left out, and said so.
    if (report.transferLines > 0) assert.match(await page.getByTestId("transfers-note").innerText(), /振替 \d+ 件/);
    await shot(page, "month");

    // A 大項目 with 中項目s: expand it, its children add up to it; drill into its lines.
    // (One whose lines all fit in the drill-down's view: the list is virtualised.)
    const withChildren = report.spendingByCategory.find((f) => f.categoryId !== null && f.children.length > 0 && f.lines <= 10);
    assert.ok(withChildren, "a spending category with subcategories");
    const figure = page.locator(`[data-testid="spending-list"] [data-testid="figure"][data-category-id="${withChildren.categoryId}"]`);
    await figure.getByRole("button", { name: `${withChildren.name} の中項目を表示` }).click();
    const childAmounts = (await figure.getByTestId("figure-child").locator(".figure-amount").allInnerTexts()).map(yen);
    assert.equal(childAmounts.reduce((a, b) => a + b, 0), withChildren.amount);
    await figure.getByTestId("figure-open").click();
    const drill = page.getByTestId("drill");
    await drill.getByRole("heading", { name: new RegExp(withChildren.name) }).waitFor();
    await waitFor("the category's lines", async () => (await drill.getByTestId("row-count").innerText()) === `${withChildren.lines} 件`);
    const drilledAmounts = await drill.getByTestId("tx-row").evaluateAll((rows) =>
      rows.map((r) => [r.querySelector(".num.in")?.textContent ?? "", r.querySelector(".num.out")?.textContent ?? ""]),
    );
    const drilledSum = drilledAmounts.reduce((s, [inText, outText]) => s + (outText ? yen(outText) : 0) - (inText ? yen(inText) : 0), 0);
    assert.equal(drilledSum, withChildren.amount, "the drilled lines add up to the category's figure");
    await shot(page, "drill-category");

    // The uncategorised lines of the month, one click away. Pick remarks that recur (this month
    // and others), to recategorise one by hand and let the offered rule file the rest.
    const uncategorised = (
      await api("transactions", { filter: { uncategorised: true, flow: "out", transfers: false }, cursor: null, limit: 1000 })
    ).rows;
    const byRemarks = new Map();
    for (const line of uncategorised) byRemarks.set(line.remarks, [...(byRemarks.get(line.remarks) ?? []), line]);
    const [remarks, lines] = [...byRemarks]
      .filter(([, ls]) => ls.length >= 2 && ls.some((l) => l.transactionDate.startsWith(month)))
      .sort((a, b) => b[1].length - a[1].length)[0];
    assert.ok(remarks, "recurring uncategorised remarks");
    const { categories } = await api("categoriesList", {});
    const dining = categories.find((c) => c.builtin === "food.dining") ?? categories.find((c) => c.name === "外食");
    const food = categories.find((c) => c.id === dining.parentId);
    const foodBefore = report.spendingByCategory.find((f) => f.categoryId === food.id)?.amount ?? 0;
    const inMonth = lines.filter((l) => l.transactionDate.startsWith(month));
    const movedThisMonth = inMonth.reduce((s, l) => s - l.amount, 0);

    await page.getByTestId("to-sort").click();
    await drill.getByRole("heading", { name: /未分類の明細/ }).waitFor();
    const row = drill.getByTestId("tx-row").filter({ hasText: remarks }).first();
    await row.waitFor();
    await row.getByTestId("line-category").click();
    const dialog = page.getByTestId("line-dialog");
    await dialog.getByTestId("line-category-picker").selectOption(String(dining.id));
    const offer = dialog.getByTestId("rule-offer");
    await offer.waitFor();
    assert.equal(await offer.getByTestId("rule-pattern").inputValue(), remarks);
    const others = lines.length - 1;
    assert.equal(await offer.getByTestId("rule-offer-reach").innerText(), `ほかに ${others} 件の明細が「${food.name} › ${dining.name}」になります。`);
    await shot(page, "rule-offer");
    await offer.getByTestId("rule-offer-accept").click();
    await dialog.getByText(`ルールを作り、${others} 件の明細に当てはめました。`).waitFor();
    await dialog.getByRole("button", { name: "閉じる" }).click();

    // Every line with those remarks is now 外食: the one set by hand, the others by the rule.
    const after = await api("transactions", { filter: { search: remarks }, cursor: null, limit: 1000 });
    const same = after.rows.filter((l) => l.remarks === remarks);
    assert.equal(same.length, lines.length);
    assert.ok(same.every((l) => l.categoryId === dining.id), JSON.stringify(same.map((l) => [l.categoryId, l.categoryBy])));
    assert.equal(same.filter((l) => l.categoryBy === "person").length, 1);
    assert.equal(same.filter((l) => l.categoryBy === "rule").length, others);
    // The uncategorised list starts again without them, and the month's food total moved.
    await waitFor("the lines to leave the uncategorised list", async () => (await drill.getByTestId("tx-row").filter({ hasText: remarks }).count()) === 0);
    report = await monthReport();
    assert.equal(report.spendingByCategory.find((f) => f.categoryId === food.id)?.amount ?? 0, foodBefore + movedThisMonth);
    const foodRow = page.locator(`[data-testid="spending-list"] [data-testid="figure"][data-category-id="${food.id}"] [data-testid="figure-amount"]`);
    await waitFor("the food total to change", async () => yen(await foodRow.innerText()) === foodBefore + movedThisMonth);
    assert.equal(yen(await page.getByTestId("books-spending").innerText()), report.spending);
    await shot(page, "after-rule");

    // Rules: a regular expression that does not compile is refused next to the pattern field,
    // and the rule stays as it was.
    await page.getByRole("tab", { name: "ルール" }).click();
    const { rules } = await api("rulesList", {});
    const target = rules.find((r) => r.matchKind === "contains" && r.pattern === remarks) ?? rules[0];
    const ruleRow = page.locator(`[data-testid="rule"][data-rule-id="${target.id}"]`);
    await ruleRow.getByTestId("rule-edit").click();
    const editor = ruleRow.getByTestId("rule-editor");
    await editor.getByTestId("rule-match-kind").selectOption("regex");
    await editor.getByTestId("rule-pattern").fill("ｺｷﾞﾂﾃ(");
    await editor.getByTestId("rule-save").click();
    const problem = editor.getByTestId("field-problem");
    await problem.waitFor();
    assert.match(await problem.innerText(), /正規表現として読めません/);
    assert.equal(await editor.getByTestId("rule-pattern").getAttribute("aria-invalid"), "true");
    // The problem sits under the pattern, before the amounts.
    const problemBox = await problem.boundingBox();
    const patternBox = await editor.getByTestId("rule-pattern").boundingBox();
    const directionBox = await editor.getByTestId("rule-direction").boundingBox();
    assert.ok(problemBox.y > patternBox.y && problemBox.y < directionBox.y, "the error is next to the pattern field");
    await shot(page, "rule-bad-regex");
    const unchanged = (await api("rulesList", {})).rules.find((r) => r.id === target.id);
    assert.deepEqual(unchanged, target);
    await editor.getByRole("button", { name: "キャンセル" }).click();

    // Applying the rules to the stored lines: a rule added ahead of the starter ones (not applied
    // yet) files ATM withdrawals under 趣味・娯楽; the preview says how many lines change and shows
    // some, exactly what applying then does.
    const hobby = (await api("categoriesList", {})).categories.find((c) => c.name === "趣味・娯楽");
    const atmRule = { matchKind: "contains", pattern: "ATM", direction: "out", minAmount: null, maxAmount: null, accountId: null, categoryId: hobby.id, memo: null, transfer: false, enabled: true };
    await api("ruleCreate", { spec: atmRule, position: 0 });
    const expected = await api("rulesPreview", { ruleId: null });
    assert.ok(expected.lines > 0, JSON.stringify(expected));
    await page.getByTestId("rules-apply").click();
    const preview = page.getByTestId("apply-preview");
    assert.equal((await preview.getByTestId("apply-count").innerText()).replaceAll(",", ""), `${expected.lines} 件の明細が変わります。`);
    const samples = await preview.getByTestId("apply-samples").locator("li").allInnerTexts();
    assert.ok(samples.length > 0 && samples.every((l) => l.includes("ATM") && l.includes("趣味・娯楽")), samples.join("\n"));
    await shot(page, "apply-preview");
    await preview.getByTestId("apply-confirm").click();
    await page.getByTestId("rules-notice").waitFor();
    assert.equal((await api("rulesPreview", { ruleId: null })).lines, 0, "applied exactly what the preview showed");

    // A budget for 食費; this month's pace in words.
    await page.getByRole("tab", { name: "カテゴリー・予算" }).click();
    const foodCategory = page.locator(`[data-testid="category"][data-category-id="${food.id}"]`);
    await foodCategory.getByTestId("budget-input").fill("50,000");
    await foodCategory.getByTestId("budget-save").click();
    await page.getByTestId("categories-notice").getByText(`${food.name} の予算を ¥50,000 にしました。`).waitFor();
    assert.deepEqual((await api("categoriesList", {})).budgets.find((b) => b.categoryId === food.id), { categoryId: food.id, monthly: 50000 });
    await page.getByRole("tab", { name: "月ごと" }).click();
    const budget = page.locator(`[data-testid="budget"][data-category-id="${food.id}"]`);
    await budget.waitFor();
    const pace = await budget.getByTestId("budget-pace").innerText();
    const thisMonth = await api("booksMonth", { month: null, accounts: [] });
    const foodPace = [...thisMonth.spendingByCategory, ...thisMonth.idleBudgets].find((f) => f.categoryId === food.id).budget;
    assert.ok(foodPace.left > 0, JSON.stringify(foodPace));
    const left = `¥${foodPace.left.toLocaleString("en-US")}`;
    assert.match(pace, new RegExp(`^残り ${left}（1日あたり ¥[\\d,]+）· 予算の \\d+%、月の \\d+% 経過$`));
    await shot(page, "budget");

    // English: the same screen, every text from the English catalog.
    await page.getByRole("button", { name: "設定", exact: true }).click();
    await page.getByLabel("表示言語").selectOption("en");
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await page.getByRole("button", { name: "Books", exact: true }).click();
    await page.getByRole("heading", { name: "Household books" }).waitFor();
    await page.getByRole("heading", { name: "Spending by category", exact: true }).waitFor();
    const paceEn = await page.locator(`[data-testid="budget"][data-category-id="${food.id}"] [data-testid="budget-pace"]`).innerText();
    assert.match(paceEn, new RegExp(`^${left} left \\(¥[\\d,]+ a day\\) · \\d+% of budget used, \\d+% of the month gone$`));
    const foodName = food.nameEn ?? food.name;
    await page.locator(`[data-testid="budget"][data-category-id="${food.id}"]`).getByText(foodName).waitFor();
    await shot(page, "english");
    await page.getByRole("tab", { name: "Rules" }).click();
    await page.getByTestId("rule").first().waitFor();
    await page.getByRole("tab", { name: "Categories & budgets" }).click();
    await page.getByRole("heading", { name: "Spending categories" }).waitFor();
    await shot(page, "english-categories");

    // The only console errors: the refused rule's answer (a failed request).
    assert.deepEqual(
      consoleErrors.filter((e) => !/Failed to load resource: the server responded with a status of (4|5)\d\d/.test(e)),
      [],
    );
    console.log("e2e books: all steps passed");
  } catch (e) {
    if (mainPage) await shot(mainPage, "failure").catch(() => {});
    throw e;
  } finally {
    await browser.close();
  }
}

runScenario(main, children, work);
