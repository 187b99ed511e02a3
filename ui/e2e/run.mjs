// End-to-end through `kura serve` in headless Chromium (playwright-core + Debian's chromium),
// against a real sandbox on loopback, with the real OAuth flow:
// first run → demo link (log in and consent in the sandbox's page) → dashboard → account →
// search (ｶｰﾄﾞ finds カード) → charts → offline (sandbox stopped: cached data, banner) → re-auth.
//
// Needs: KURA_BIN (the kura binary, built with the UI embedded), a reachable OS keyring (run it
// inside scripts/with-keyring.sh), /usr/bin/chromium. Screenshots go to SCREENSHOT_DIR.

import { mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { KURA, SHOTS, freePort, kuraEnv, launchChromium, nextOpened, runScenario, signInAndAllow, start as startChild, stop, waitFor, screenshots } from "./support.mjs";


const work = mkdtempSync(join(tmpdir(), "kura-e2e-"));
const children = [];

/** Starts `kura ARGS` (stopped when the run ends) and resolves once its stdout matches `ready`. */
function start(name, args, env, ready) {
  return startChild(name, KURA, args, env, ready, { onSpawn: (child) => children.push(child) });
}

/** A raw HTTP request (fetch may not set Host). Resolves to the status code. */
function rawStatus(port, method, path, headers) {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", reject);
    req.end(method === "POST" ? "{}" : undefined);
  });
}

/** Calls a command of `kura serve`'s API the way the UI does. */
async function api(servePort, token, name, body) {
  const res = await fetch(`http://127.0.0.1:${servePort}/api/${name}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Kura-Token": token },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `${name}: ${await res.clone().text()}`);
  return res.json();
}

const shot = screenshots("");

let mainPage = null;

async function main() {
  const sandboxPort = await freePort();
  // Grants that outlive the 120 simulated days of the gap step below.
  const sandboxArgs = ["sandbox", "--port", String(sandboxPort), "--refresh-token-ttl-days", "400", "--consent-ttl-days", "400"];
  let { child: sandbox } = await start("sandbox", sandboxArgs, {}, /127\.0\.0\.1:\d+/);

  // KURA_BROWSER hands the authorization URL to the test, which opens it in Chromium.
  const { env, opened } = kuraEnv(work, sandboxPort);
  const startServe = async (serveEnv = env) => {
    const { child, match } = await start("serve", ["serve"], serveEnv, /(http:\/\/127\.0\.0\.1:(\d+)\/#token=[0-9a-f]+)/);
    const [, appUrl, servePort] = match;
    return { serve: child, appUrl, servePort, token: new URL(appUrl).hash.replace(/^#token=/, "") };
  };
  let { serve, appUrl, servePort, token } = await startServe();

  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 860 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    mainPage = page;
    const consoleErrors = [];
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));

    // The guard: no token → 401; a foreign Host → 403.
    const local = { Host: `127.0.0.1:${servePort}`, "Content-Type": "application/json" };
    assert.equal(await rawStatus(servePort, "POST", "/api/linksList", local), 401);
    assert.equal(await rawStatus(servePort, "POST", "/api/linksList", { ...local, "X-Kura-Token": "wrong" }), 401);
    assert.equal(await rawStatus(servePort, "GET", "/", { Host: `evil.example:${servePort}` }), 403);
    assert.equal(await rawStatus(servePort, "GET", "/", local), 200);

    // First run: the union picker finds 北央 by its reading.
    await page.goto(appUrl);
    await page.getByRole("heading", { name: "信用組合を連携しましょう" }).waitFor();
    await page.getByLabel("組合名・よみがな・4桁の金融機関コードで検索").fill("ほくおう");
    await page.getByRole("button", { name: /北央信用組合/ }).waitFor();
    await shot(page, "first-run");

    // Try the demo: the real OAuth flow in the sandbox's login page.
    await page.getByRole("button", { name: "デモを試す" }).first().click();
    await page.getByText("ブラウザで 北央信用組合 にログインし").waitFor();
    const authUrl = await waitFor("the authorization URL", () => opened().pop());
    assert.match(authUrl, new RegExp(`^http://127\\.0\\.0\\.1:${sandboxPort}/oauth/authorize\\?`));
    await shot(page, "link-waiting");
    const login = await context.newPage();
    await login.goto(authUrl);
    await login.locator("#username").fill("demo");
    await login.locator("#password").fill("demo");
    await shot(login, "sandbox-login");
    await login.locator('button[name="action"][value="sign_in"]').click();
    await login.locator('button[name="decision"][value="allow"]').waitFor();
    await shot(login, "sandbox-consent");
    await login.locator('button[name="decision"][value="allow"]').click();
    await login.waitForURL(/127\.0\.0\.1:\d+\/callback/);
    await login.close();

    // Dashboard: the linked accounts fill in once the first sync lands.
    await page.getByText("総残高").waitFor({ timeout: 60_000 });
    const card = page.getByTestId("account-card").first();
    await card.waitFor();
    // Accounts appear one by one as the first sync stores them; the total is final once it ends.
    await waitFor(
      "the first sync to finish",
      async () => {
        const { runs } = await api(servePort, token, "syncLog", { linkId: null, before: null, limit: 10 });
        return runs.length > 0 && runs.every((r) => r.state !== "running") && runs[0].state === "ok";
      },
      90_000,
    );
    await waitFor("every balance on the dashboard", async () => {
      const cards = await page.getByTestId("account-card").allInnerTexts();
      const { accounts } = await api(servePort, token, "overview", {});
      return cards.length === accounts.length && cards.every((c) => !c.includes("残高未取得"));
    });
    const total = await page.getByTestId("total").innerText();
    assert.match(total, /^¥[\d,]+$/);
    await shot(page, "dashboard");

    // Account: the history with running balance; search ｶｰﾄﾞ finds カード rows.
    await card.click();
    await page.getByRole("tab", { name: "入出金明細" }).waitFor();
    await page.getByTestId("tx-row").first().waitFor();
    const rowCount = await page.getByTestId("row-count").innerText();
    assert.match(rowCount, /件/);
    await shot(page, "account");
    await page.getByTestId("search").fill("ｶｰﾄﾞ");
    await waitFor("search results", async () => {
      const rows = await page.getByTestId("tx-row").allInnerTexts();
      return rows.length > 0 && rows.every((r) => /ｶｰﾄﾞ|カード/.test(r));
    });
    await shot(page, "search");
    await page.getByTestId("search").fill("");

    // Export from the browser: the browser downloads the file (no path on the server), and the
    // CSV holds as many rows as Kura says it exported.
    await page.getByRole("button", { name: "書き出す…" }).click();
    const exportDialog = page.getByRole("dialog", { name: "書き出し" });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      exportDialog.getByRole("button", { name: "保存", exact: true }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^kura-\d{4}-\d{2}-\d{2}\.csv$/);
    const csvPath = join(work, download.suggestedFilename());
    await download.saveAs(csvPath);
    const csv = readFileSync(csvPath, "utf8");
    assert.ok(csv.startsWith("\ufeff取引日,"), csv.slice(0, 80));
    const csvRows = csv.split("\r\n").filter((l) => l !== "").length - 1;
    const saidRows = Number((await exportDialog.getByRole("status").innerText()).match(/([\d,]+) 件/)[1].replace(/,/g, ""));
    assert.ok(csvRows > 0 && csvRows === saidRows, `downloaded ${csvRows} rows, Kura said ${saidRows}`);
    await shot(page, "export-download");
    await exportDialog.getByRole("button", { name: "閉じる" }).click();

    // Charts.
    await page.getByRole("tab", { name: "グラフ" }).click();
    await page.getByRole("img", { name: /残高の推移/ }).waitFor();
    await page.getByRole("img", { name: "月別の収入と支出" }).waitFor();
    await shot(page, "charts");

    // Offline: stop the sandbox, sync: cached data stays, the banner comes up.
    await stop(sandbox);
    await page.getByRole("button", { name: "ホーム", exact: true }).click();
    await page.getByRole("button", { name: "今すぐ同期" }).click();
    await page.getByTestId("offline-banner").waitFor({ timeout: 90_000 });
    assert.equal(await page.getByTestId("total").innerText(), total);
    await shot(page, "offline");

    // Started while offline: the first sync fails renewing the token (discovery, refresh) before
    // any API call; that is still a network failure, so the banner is up and the link stays active.
    const runsBefore = (await api(servePort, token, "syncLog", { linkId: null, before: null, limit: 500 })).runs.length;
    await page.goto("about:blank"); // no polling of the stopped server (console errors)
    await stop(serve);
    ({ serve, appUrl, servePort, token } = await startServe());
    await page.goto(appUrl);
    const startRun = await waitFor("the first sync after the restart", async () => {
      const { runs } = await api(servePort, token, "syncLog", { linkId: null, before: null, limit: 500 });
      return runs.length > runsBefore && runs[0].state !== "running" ? runs[0] : null;
    });
    assert.equal(startRun.error?.kind, "network", JSON.stringify(startRun));
    await page.getByTestId("offline-banner").waitFor();
    assert.equal(await page.getByTestId("total").innerText(), total);
    // Links explains it in Japanese with what to do; the core's English message is the detail.
    await page.getByRole("button", { name: "連携", exact: true }).click();
    const linkCard = page.getByTestId("link-card").first();
    await linkCard.getByText("有効", { exact: true }).waitFor();
    const problem = linkCard.getByTestId("sync-problem");
    await problem.getByText("組合のサーバーに接続できませんでした").waitFor();
    await problem.getByText("ネットワーク接続を確かめてください", { exact: false }).waitFor();
    await problem.getByText("詳細（報告用）").click();
    await problem.getByText(/could not reach/).waitFor();
    await shot(page, "offline-links");

    // Back online: re-authenticate from Links through the same OAuth flow.
    ({ child: sandbox } = await start("sandbox", sandboxArgs, {}, /127\.0\.0\.1:\d+/));
    await page.getByRole("button", { name: "連携", exact: true }).click();
    await page.getByTestId("link-card").first().waitFor();
    await shot(page, "links");
    const before = opened().length;
    await page.getByRole("button", { name: "再認証" }).click();
    await signInAndAllow(context, await nextOpened(opened, before, "the re-auth URL"));
    await page.getByTestId("link-card").first().getByText("有効", { exact: true }).waitFor();
    await shot(page, "reauthenticated");

    // A gap: 120 days pass at the bank without a sync, so the days between the last synced day
    // and the bank's 90-day window are lost; the history marks them between the rows around them.
    const runsBeforeGap = (await api(servePort, token, "syncLog", { linkId: null, before: null, limit: 500 })).runs.length;
    const clock = await fetch(`http://127.0.0.1:${sandboxPort}/admin/clock`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ advanceDays: 120 }),
    });
    assert.equal(clock.status, 200, await clock.text());
    await api(servePort, token, "syncNow", { linkId: null });
    const gapRun = await waitFor("the sync after 120 days", async () => {
      const { runs } = await api(servePort, token, "syncLog", { linkId: null, before: null, limit: 500 });
      return runs.length > runsBeforeGap && runs[0].state !== "running" ? runs[0] : null;
    });
    assert.equal(gapRun.state, "ok", JSON.stringify(gapRun));
    await page.getByRole("button", { name: "ホーム", exact: true }).click();
    const gapCard = page.getByTestId("account-card").first();
    await gapCard.getByText("取得できなかった期間").waitFor();
    await gapCard.click();
    const viewport = page.locator(".viewport");
    await page.getByTestId("tx-row").first().waitFor();
    const gapRow = page.getByTestId("gap-row");
    await waitFor("the gap marker in the history", async () => {
      if ((await gapRow.count()) > 0) return true;
      await viewport.evaluate((el) => (el.scrollTop += el.clientHeight / 2));
      return false;
    });
    assert.match(await gapRow.innerText(), /^\d{4}\/\d{2}\/\d{2}〜\d{4}\/\d{2}\/\d{2} の明細はありません/);
    await gapRow.scrollIntoViewIfNeeded();
    await shot(page, "gap-history");
    await page.getByRole("tab", { name: "グラフ" }).click();
    await page.getByText("取得できなかった期間（銀行の提供期間を過ぎたため）").waitFor();
    await shot(page, "gap-chart");

    // Keyboard: arrow keys move between the tabs.
    await page.getByRole("tab", { name: "グラフ" }).focus();
    await page.keyboard.press("ArrowLeft");
    await page.getByRole("tab", { name: "入出金明細", selected: true }).waitFor();
    // Typed dates (2026/11/24 in every webview and language): a wrong one is flagged.
    const from = page.getByLabel("開始日");
    await from.fill("2026/13/01");
    await page.getByText("日付は 2026/11/24 の形で入力してください").waitFor();
    await from.fill("");

    // Settings: the data folder is shown; the OS's dark theme is followed; English applies at once.
    await page.getByRole("button", { name: "設定", exact: true }).click();
    await page.getByText(work).first().waitFor();
    // The theme: the OS's preference unless Settings forces one (the page's own background says
    // which palette is in force: #f6f3ee light, #171513 dark).
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const [LIGHT, DARK] = ["rgb(246, 243, 238)", "rgb(23, 21, 19)"];
    assert.equal(await background(), LIGHT);
    await page.emulateMedia({ colorScheme: "dark" });
    assert.equal(await background(), DARK);
    await shot(page, "settings-dark");
    const theme = page.getByLabel("テーマ");
    await theme.selectOption("light");
    await page.getByRole("button", { name: "保存" }).click();
    await waitFor("the forced light theme", async () => (await background()) === LIGHT, 5_000);
    await page.emulateMedia({ colorScheme: "light" });
    await theme.selectOption("dark");
    await page.getByRole("button", { name: "保存" }).click();
    await waitFor("the forced dark theme", async () => (await background()) === DARK, 5_000);
    await theme.selectOption("system");
    await page.getByRole("button", { name: "保存" }).click();
    await waitFor("the OS's theme again", async () => (await background()) === LIGHT, 5_000);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.getByLabel("表示言語").selectOption("en");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByRole("button", { name: "Home", exact: true }).click();
    await page.getByText("Total balance").waitFor();
    await shot(page, "dashboard-en-dark");
    await page.getByRole("button", { name: "Settings", exact: true }).click();
    await page.getByLabel("Language").selectOption("ja");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("button", { name: "ホーム", exact: true }).waitFor();
    await page.emulateMedia({ colorScheme: "light" });

    // A union under maintenance: the dashboard says so in Japanese, with the way to Links.
    const faults = (body) =>
      fetch(`http://127.0.0.1:${sandboxPort}/admin/faults`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    assert.equal((await faults({ maintenance: true, retryAfterSeconds: 1800 })).status, 200);
    await page.getByRole("button", { name: "ホーム", exact: true }).click();
    await page.getByRole("button", { name: "今すぐ同期" }).click();
    const notice = page.locator(".union-problem");
    await notice.getByText("組合のサーバーはメンテナンス中です").waitFor({ timeout: 90_000 });
    await shot(page, "maintenance");
    await notice.getByRole("button", { name: "連携の画面へ" }).click();
    await page.getByRole("heading", { name: "連携", exact: true }).waitFor();
    assert.equal((await faults({})).status, 200);

    // A large account (the sandbox's bench user, 5,000 lines: 10 pages) in a fresh store: the
    // history holds only the pages near the view, so after End to the last line, Home fetches the
    // first page again and shows the same first rows, with the scrollbar unchanged.
    await page.goto("about:blank");
    await stop(serve);
    const largePort = await freePort();
    await start("sandbox-large", ["sandbox", "--port", String(largePort), "--large", "5000"], {}, /127\.0\.0\.1:\d+/);
    ({ serve, appUrl, servePort, token } = await startServe({
      ...env,
      KURA_DATA_DIR: join(work, "large-data"),
      KURA_CONFIG_DIR: join(work, "large-config"),
      KURA_SANDBOX_URL: `http://127.0.0.1:${largePort}`,
    }));
    await page.goto(appUrl);
    const linksBefore = opened().length;
    await page.getByRole("button", { name: "デモを試す" }).first().click();
    await signInAndAllow(context, await nextOpened(opened, linksBefore, "the bench user's authorization URL"), "bench");
    await waitFor(
      "the bench user's first sync",
      async () => {
        const { runs } = await api(servePort, token, "syncLog", { linkId: null, before: null, limit: 10 });
        return runs.length > 0 && runs.every((r) => r.state !== "running") && runs[0].state === "ok";
      },
      90_000,
    );
    const historyCalls = [];
    page.on("request", (r) => r.url().endsWith("/api/transactions") && historyCalls.push(JSON.parse(r.postData())));
    await page.getByRole("button", { name: "ホーム", exact: true }).click();
    await page.getByTestId("account-card").first().click();
    const txRows = page.getByTestId("tx-row");
    await txRows.first().waitFor();
    const firstRows = await txRows.evaluateAll((rows) => rows.slice(0, 5).map((r) => [r.getAttribute("aria-rowindex"), r.innerText]));
    assert.equal(firstRows[0][0], "2");
    await page.locator(".viewport").focus();
    await waitFor("End to reach the last line", async () => {
      await page.keyboard.press("End");
      return /^5,000 件$/.test(await page.getByTestId("row-count").innerText());
    });
    await page.keyboard.press("End");
    const table = page.getByRole("table", { name: "入出金明細" });
    const lineCount = Number(await table.getAttribute("aria-rowcount"));
    assert.ok(lineCount >= 5_001, `aria-rowcount ${lineCount}`);
    await waitFor("the last line", async () =>
      (await page.locator(`[aria-rowindex="${lineCount}"][data-testid="tx-row"], [aria-rowindex="${lineCount}"][data-testid="gap-row"]`).count()) > 0,
    );
    const height = await page.locator(".viewport").evaluate((el) => el.scrollHeight);
    await shot(page, "history-end");
    await page.keyboard.press("Home");
    await waitFor("the first rows again", async () => {
      const rows = await txRows.evaluateAll((rows) => rows.slice(0, 5).map((r) => [r.getAttribute("aria-rowindex"), r.innerText]));
      return JSON.stringify(rows) === JSON.stringify(firstRows);
    });
    // The first page was let go on the way down and fetched again from its cursor (null).
    assert.equal(historyCalls.filter((c) => c.cursor === null).length, 2, JSON.stringify(historyCalls.map((c) => [c.cursor, c.limit])));
    assert.equal(await table.getAttribute("aria-rowcount"), String(lineCount));
    assert.equal(await page.locator(".viewport").evaluate((el) => el.scrollHeight), height);
    assert.match(await page.getByTestId("row-count").innerText(), /^5,000 件$/);
    await shot(page, "history-back-to-top");

    assert.deepEqual(consoleErrors.filter((e) => !e.includes("502")), []);
    console.log("e2e: all steps passed");
  } catch (e) {
    if (mainPage) await shot(mainPage, "failure").catch(() => {});
    throw e;
  } finally {
    await browser.close();
  }
}

runScenario(main, children, work);
