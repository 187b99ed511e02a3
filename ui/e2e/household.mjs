// The household end to end through `kura serve` in headless Chromium, against the sandbox: one
// person's link (demo at 北央信用組合) and no switcher; Settings → 世帯 adds a member (a name
// already taken is refused in words from the catalogue) and renames the first; the link flow asks
// whose login it is, says the union is linked already, and the sandbox's `family` login at the
// same union becomes the new member's own link ("added"); the switcher then narrows the
// dashboard's total and cards, the history, the 家計簿 and the export to one member, the same
// figures as the core's, and the members' totals and shares add up to the household's; a link is
// given to another member and back; a member is removed with their link handed to the heir
// chosen; re-authenticating the link renews it ("renewed"); English and the dark theme.
//
// Needs KURA_BIN (built with the UI embedded), a reachable OS keyring (scripts/with-keyring.sh)
// and /usr/bin/chromium. Screenshots go to SCREENSHOT_DIR.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { KURA, SHOTS, freePort, kuraEnv, launchChromium, nextOpened, runScenario, signInAndAllow, start as startChild, waitFor, screenshots, yen } from "./support.mjs";

const work = mkdtempSync(join(tmpdir(), "kura-e2e-household-"));
const children = [];

function start(name, args, env, ready) {
  return startChild(name, KURA, args, env, ready, { onSpawn: (child) => children.push(child) });
}

const shot = screenshots("household-");

/** ¥1,234 as the UI writes it. */
const formatYen = (n) => `${n < 0 ? "-" : ""}¥${Math.abs(n).toLocaleString("en-US")}`;

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
  /** Every sync run so far has finished, and there are more than `before`. */
  const syncsDone = (before) =>
    waitFor(
      "the syncs to finish",
      async () => {
        const { runs } = await api("syncLog", { linkId: null, before: null, limit: 100 });
        return runs.length > before && runs.every((r) => r.state !== "running");
      },
      90_000,
    );
  const runCount = async () => (await api("syncLog", { linkId: null, before: null, limit: 100 })).runs.length;
  /** Every line of `filter` through the history command, paged. */
  const allLines = async (filter) => {
    const rows = [];
    let cursor = null;
    do {
      const page = await api("transactions", { filter, cursor, limit: 1000 });
      rows.push(...page.rows);
      cursor = page.nextCursor;
    } while (cursor);
    return rows;
  };

  const browser = await launchChromium();
  try {
    // The first person's link (the data; the link flow itself is tested below).
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    await api("linkStart", { bankCode: "2011" });
    await signInAndAllow(context, await nextOpened(opened, 0));
    await syncsDone(0);

    const page = await context.newPage();
    mainPage = page;
    const consoleErrors = [];
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    await page.goto(appUrl);

    // One person: no switcher, no shares, no member marks.
    await page.getByTestId("total").waitFor();
    await page.getByTestId("account-card").first().waitFor();
    assert.equal(await page.getByTestId("member-switcher").count(), 0);
    assert.equal(await page.getByTestId("shares").count(), 0);
    assert.equal(await page.getByTestId("member-tag").count(), 0);

    // Settings → 世帯: the first member holds the link; add 花子 in green, rename the first.
    await page.getByRole("button", { name: "設定", exact: true }).click();
    const household = page.getByTestId("household");
    await household.getByRole("heading", { name: "世帯" }).waitFor();
    let { members } = await api("membersList", {});
    assert.equal(members.length, 1);
    const first = members[0];
    const firstRow = household.locator(`[data-testid="member"][data-member-id="${first.id}"]`);
    assert.match(await firstRow.innerText(), new RegExp(`連携 1 件・口座 ${first.accountCount} 件`));
    // The last member cannot be removed: no button, and why.
    assert.equal(await firstRow.getByRole("button", { name: "外す" }).count(), 0);
    await firstRow.getByText("最後のメンバーは外せません", { exact: false }).waitFor();
    await shot(page, "settings-one-member");

    await household.getByTestId("member-name").fill("花子");
    await household.getByRole("radio", { name: "緑", exact: true }).check();
    await household.getByRole("button", { name: "追加", exact: true }).click();
    await household.getByTestId("household-notice").getByText("花子 を世帯に加えました。").waitFor();
    ({ members } = await api("membersList", {}));
    const hanako = members.find((m) => m.name === "花子");
    assert.deepEqual([hanako.colour, hanako.linkCount, hanako.accountCount], ["#4f9a55", 0, 0]);

    // A name taken already: refused, in the catalogue's words, and nothing added.
    await household.getByTestId("member-name").fill("花子");
    await household.getByRole("button", { name: "追加", exact: true }).click();
    await household.getByRole("alert").getByText("「花子」というメンバーは既にいます").waitFor();
    assert.equal((await api("membersList", {})).members.length, 2);
    await household.getByTestId("member-name").fill("");

    await firstRow.getByRole("button", { name: "名前を変更" }).click();
    await firstRow.getByLabel(`${first.name} の新しい名前`).fill("一郎");
    await firstRow.getByRole("button", { name: "変更する" }).click();
    await household.getByTestId("household-notice").getByText("名前を「一郎」にしました。").waitFor();
    await firstRow.getByText("一郎", { exact: true }).waitFor();
    await shot(page, "settings-two-members");

    // The second person links the same union with their own login: the flow asks whose it is and
    // says the union is linked already.
    await page.getByRole("button", { name: "連携", exact: true }).click();
    await page.getByRole("button", { name: "連携を追加" }).click();
    await page.getByRole("button", { name: "デモを試す" }).first().click();
    await page.getByText("誰のログインで連携しますか？").waitFor();
    assert.equal(await page.getByRole("radio", { name: "一郎" }).isChecked(), true, "the first member by default");
    const already = await page.getByTestId("already-linked").innerText();
    assert.match(already, /北央信用組合 には 「一郎」 の連携があります。/);
    await page.getByRole("radio", { name: "花子" }).check();
    await shot(page, "link-whose");
    const runsBefore = await runCount();
    const urlsBefore = opened().length;
    await page.getByRole("button", { name: "ブラウザでログインする" }).click();
    await page.getByText("ブラウザで 北央信用組合 にログインし").waitFor();
    // Another person, another browser.
    const theirs = await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    await signInAndAllow(theirs, await nextOpened(opened, urlsBefore), "family");
    await theirs.close();
    await page.getByTestId("flash").getByText("北央信用組合 を 花子 の連携として追加しました。").waitFor({ timeout: 60_000 });
    await syncsDone(runsBefore);
    let { links } = await api("linksList", {});
    assert.equal(links.length, 2, "a link of her own, the first one kept");
    const hanakoLink = links.find((l) => l.memberId === hanako.id);
    assert.ok(hanakoLink && hanakoLink.bankCode === "2011" && hanakoLink.accountCount > 0, JSON.stringify(links));

    // The dashboard: the household's total, each member's total and share, adding up.
    const overview = await api("overview", {});
    const ichiro = overview.members.find((m) => m.id === first.id);
    const hanakoShare = overview.members.find((m) => m.id === hanako.id);
    assert.ok(ichiro.total > 0 && hanakoShare.total > 0, JSON.stringify(overview.members));
    assert.equal(ichiro.total + hanakoShare.total, overview.householdTotal);
    const switcher = page.getByTestId("member-switcher");
    await switcher.waitFor();
    assert.deepEqual(await switcher.getByRole("radio").allInnerTexts(), ["世帯全体", "一郎", "花子"]);
    assert.equal(await switcher.getByRole("radio", { name: "世帯全体" }).getAttribute("aria-checked"), "true");
    await waitFor("the household's total", async () => yen(await page.getByTestId("total").innerText()) === overview.householdTotal);
    await waitFor("every card", async () => (await page.getByTestId("account-card").count()) === overview.accounts.length);
    const shares = page.getByTestId("member-share");
    assert.equal(await shares.count(), 2);
    const shownTotals = (await shares.getByTestId("member-total").allInnerTexts()).map(yen);
    assert.deepEqual(shownTotals, [ichiro.total, hanakoShare.total]);
    assert.equal(shownTotals.reduce((a, b) => a + b, 0), overview.householdTotal, "the members' totals add up to the household's");
    const percents = (await shares.getByTestId("member-percent").allInnerTexts()).map((p) => Number(p.replace("%", "")));
    assert.equal(percents.reduce((a, b) => a + b, 0), 100, `the shares add up to 100%: ${percents}`);
    for (const [i, m] of [ichiro, hanakoShare].entries()) assert.ok(Math.abs(percents[i] - m.percent) <= 1, `${percents[i]} vs ${m.percent}`);
    // Each card says whose it is.
    const cardTags = await page.getByTestId("account-card").getByTestId("member-tag").allInnerTexts();
    const hanakoCards = overview.accounts.filter((a) => a.memberId === hanako.id).length;
    assert.equal(cardTags.length, overview.accounts.length);
    assert.equal(cardTags.filter((t) => t === "花子").length, hanakoCards);
    await shot(page, "dashboard-household");

    // 花子 alone: her total and her share of the household's, only her accounts.
    await switcher.getByRole("radio", { name: "花子" }).click();
    const hers = await api("overview", { memberId: hanako.id });
    assert.equal(hers.total, hanakoShare.total);
    await page.getByRole("heading", { name: "花子 の残高" }).waitFor();
    await waitFor("her total", async () => yen(await page.getByTestId("total").innerText()) === hers.total);
    await waitFor("her cards", async () => (await page.getByTestId("account-card").count()) === hers.accounts.length);
    assert.deepEqual(new Set(await page.getByTestId("account-card").getByTestId("member-tag").allInnerTexts()), new Set(["花子"]));
    const herPercent = percents[1];
    assert.equal(
      await page.getByTestId("household-share").innerText(),
      `世帯全体 ${formatYen(overview.householdTotal)} のうち ${herPercent}%`,
    );
    await shot(page, "dashboard-hanako");

    // The history keeps the choice: her lines only, the same as the core's, each of her accounts.
    await page.getByRole("button", { name: "明細", exact: true }).click();
    await page.getByRole("heading", { name: "入出金明細" }).waitFor();
    assert.equal(await page.getByTestId("member-switcher").getByRole("radio", { name: "花子" }).getAttribute("aria-checked"), "true");
    const herAccounts = hers.accounts.filter((a) => !a.hidden);
    assert.equal(await page.getByTestId("history-scope").innerText(), `花子 の口座 ${herAccounts.length} 件`);
    const herLines = await allLines({ memberId: hanako.id });
    assert.ok(herLines.length > 0);
    assert.ok(herLines.every((l) => herAccounts.some((a) => a.id === l.accountId)), "the core's lines are hers");
    const firstIds = async () => (await page.getByTestId("tx-row").evaluateAll((rows) => rows.slice(0, 8).map((r) => Number(r.dataset.id))));
    await waitFor("her first lines", async () => JSON.stringify(await firstIds()) === JSON.stringify(herLines.slice(0, 8).map((l) => l.id)));
    // One union: each line names its account by branch, type and number.
    const herLabels = new Set(herAccounts.map((a) => `${a.branchName} ${a.accountTypeName} ${a.accountNumber}`));
    const shownLabels = await page.locator('[data-testid="tx-row"] .account-label').allInnerTexts();
    assert.ok(shownLabels.length > 0 && shownLabels.every((l) => herLabels.has(l.trim())), shownLabels.slice(0, 5).join(" / "));
    await shot(page, "history-hanako");

    // The export from the history: hers by default, every line of hers.
    await page.getByRole("button", { name: "書き出す…" }).click();
    const exportDialog = page.getByRole("dialog", { name: "書き出し" });
    assert.equal(await exportDialog.getByTestId("export-scope").inputValue(), String(hanako.id));
    await shot(page, "export-hanako");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      exportDialog.getByRole("button", { name: "保存", exact: true }).click(),
    ]);
    const csvPath = join(work, download.suggestedFilename());
    await download.saveAs(csvPath);
    const csvRows = readFileSync(csvPath, "utf8").split("\r\n").filter((l) => l !== "").length - 1;
    assert.equal(csvRows, herLines.length, "the export holds her lines");
    const saidRows = Number((await exportDialog.getByRole("status").innerText()).match(/([\d,]+) 件/)[1].replace(/,/g, ""));
    assert.equal(saidRows, herLines.length);
    await exportDialog.getByRole("button", { name: "閉じる" }).click();

    // The whole household's history again.
    await page.getByTestId("member-switcher").getByRole("radio", { name: "世帯全体" }).click();
    const everyLine = await api("transactions", { filter: {}, cursor: null, limit: 8 });
    await waitFor("everyone's first lines", async () => JSON.stringify(await firstIds()) === JSON.stringify(everyLine.rows.map((l) => l.id)));
    assert.equal(await page.getByTestId("history-scope").innerText(), `世帯全体の口座 ${overview.accounts.filter((a) => !a.hidden).length} 件`);

    // 家計簿: last month's figures for the household, then for each member (adding up).
    await page.getByRole("button", { name: "家計簿", exact: true }).click();
    await page.getByTestId("books-spending").waitFor();
    const now = new Date(Date.now() + 9 * 3600_000);
    const index = now.getUTCFullYear() * 12 + now.getUTCMonth() - 1;
    const month = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
    await page.getByTestId("month-picker").selectOption(month);
    const books = async (memberId) => api("booksMonth", { month, accounts: [], ...(memberId ? { memberId } : {}) });
    const [all, one, two] = [await books(null), await books(first.id), await books(hanako.id)];
    assert.ok(one.spending > 0 && two.spending > 0, JSON.stringify([one.spending, two.spending]));
    assert.equal(one.spending + two.spending, all.spending, "the members' spending adds up to the household's");
    assert.equal(one.income + two.income, all.income);
    const shownSpending = async () => yen(await page.getByTestId("books-spending").innerText());
    await waitFor("the household's spending", async () => (await shownSpending()) === all.spending);
    await page.getByTestId("member-switcher").getByRole("radio", { name: "花子" }).click();
    await waitFor("her spending", async () => (await shownSpending()) === two.spending);
    assert.equal(yen(await page.getByTestId("books-income").innerText()), two.income);
    // The year's chart is hers too: last month's bar says her figures.
    const bar = page.locator(`[data-testid="chart-month"][data-month="${month}"]`);
    await waitFor("her chart", async () => (await bar.getAttribute("aria-label")).includes(formatYen(two.spending)));
    await shot(page, "books-hanako");
    // The lines behind her uncategorised spending are hers.
    if (two.uncategorisedLines > 0) {
      await page.getByTestId("to-sort").click();
      const drill = page.getByTestId("drill");
      await drill.getByTestId("tx-row").first().waitFor();
      const drilled = await drill.locator('[data-testid="tx-row"] .account-label').allInnerTexts();
      assert.ok(drilled.length > 0 && drilled.every((l) => herLabels.has(l.trim())), drilled.join(" / "));
    }
    await page.getByTestId("member-switcher").getByRole("radio", { name: "一郎" }).click();
    await waitFor("his spending", async () => (await shownSpending()) === one.spending);

    // Links: whose each link is.
    await page.getByRole("button", { name: "連携", exact: true }).click();
    await page.getByTestId("link-card").nth(1).waitFor();
    const owners = await page.getByTestId("link-card").getByTestId("member-tag").allInnerTexts();
    assert.deepEqual(owners.sort(), ["一郎", "花子"].sort());
    await shot(page, "links");

    // Settings: her link to 一郎 and back; then a third member, and 花子 removed with her link
    // handed to the member chosen.
    await page.getByRole("button", { name: "設定", exact: true }).click();
    const ownerSelect = household.locator(`[data-testid="link-owner"][data-link-id="${hanakoLink.id}"] select`);
    await ownerSelect.selectOption(String(first.id));
    await household.getByTestId("household-notice").getByText("北央信用組合 の連携を 一郎 のものにしました。").waitFor();
    assert.equal((await api("membersList", {})).members.find((m) => m.id === first.id).linkCount, 2);
    await firstRow.getByText("連携 2 件", { exact: false }).waitFor();
    await ownerSelect.selectOption(String(hanako.id));
    await household.getByTestId("household-notice").getByText("北央信用組合 の連携を 花子 のものにしました。").waitFor();

    await household.getByTestId("member-name").fill("太郎");
    await household.getByRole("button", { name: "追加", exact: true }).click();
    await household.getByTestId("household-notice").getByText("太郎 を世帯に加えました。").waitFor();
    const taro = (await api("membersList", {})).members.find((m) => m.name === "太郎");
    assert.equal(taro.colour, "#c0504d", "the first colour nobody has");
    const hanakoRow = household.locator(`[data-testid="member"][data-member-id="${hanako.id}"]`);
    await hanakoRow.getByRole("button", { name: "外す" }).click();
    await hanakoRow.getByText("花子 を世帯から外しますか？").waitFor();
    await hanakoRow.getByTestId("heir").selectOption(String(taro.id));
    await shot(page, "remove-member");
    await hanakoRow.getByRole("button", { name: "外す" }).last().click();
    await household.getByTestId("household-notice").getByText("花子 を世帯から外し、連携を 太郎 に引き継ぎました。").waitFor();
    ({ members } = await api("membersList", {}));
    assert.deepEqual(members.map((m) => m.name), ["一郎", "太郎"]);
    ({ links } = await api("linksList", {}));
    assert.equal(links.find((l) => l.id === hanakoLink.id).memberId, taro.id);
    await shot(page, "settings-after-remove");

    // Re-authenticating her link (now 太郎's) with the same login renews it: no third link.
    await page.getByRole("button", { name: "連携", exact: true }).click();
    const taroCard = page.getByTestId("link-card").filter({ has: page.getByTestId("member-tag").getByText("太郎") });
    await taroCard.getByRole("button", { name: "再認証" }).click();
    assert.equal(await page.getByRole("radio", { name: "太郎" }).isChecked(), true, "the link's own member by default");
    const again = opened().length;
    await page.getByRole("button", { name: "ブラウザでログインする" }).click();
    const relogin = await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    await signInAndAllow(relogin, await nextOpened(opened, again), "family");
    await relogin.close();
    await page.getByRole("status").getByText("太郎 の 北央信用組合 の連携を更新しました。", { exact: false }).waitFor({ timeout: 60_000 });
    ({ links } = await api("linksList", {}));
    assert.equal(links.length, 2, "renewed, not added");
    await shot(page, "renewed");

    // English, dark: the same household.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.getByRole("button", { name: "設定", exact: true }).click();
    await page.getByLabel("表示言語").selectOption("en");
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await page.getByRole("heading", { name: "Household", exact: true }).waitFor();
    await shot(page, "settings-en-dark");
    await page.getByRole("button", { name: "Home", exact: true }).click();
    await page.getByTestId("member-switcher").getByRole("radio", { name: "Whole household" }).click();
    await page.getByText("Total balance").waitFor();
    await page.getByTestId("shares").waitFor();
    await shot(page, "dashboard-en-dark");
    await page.getByTestId("member-switcher").getByRole("radio", { name: "太郎" }).click();
    await page.getByRole("heading", { name: "太郎's balance" }).waitFor();
    await shot(page, "dashboard-taro-en-dark");

    assert.deepEqual(
      // The refused name's answer (a failed request) is the only console error.
      consoleErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e)),
      [],
    );
    console.log("e2e household: all steps passed");
  } catch (e) {
    if (mainPage) await shot(mainPage, "failure").catch(() => {});
    throw e;
  } finally {
    await browser.close();
  }
}

runScenario(main, children, work);
