// Sharing the household between two desktops end to end: two `kura serve` instances, each with its
// own data and config folders (and so its own keyring namespace), and one plain temporary folder
// standing in for the one Syncthing would keep in step. The first desktop links 北央信用組合 with
// the sandbox's demo login, starts sharing in Settings → デスクトップ間の共有 and shows the pairing
// code (read from the page); the second, with no link of its own, refuses a code that is not well
// formed and one that does not open the household, in the catalogue's words, then joins with the
// code and says how many lines and edits arrived; its dashboard total, its history and its
// 家計簿 month are the first desktop's; each desktop names the other, when it was last heard from
// and which union it fetches; a file dropped into the folder that is not Kura's is listed in plain
// words; the code shows again on request; the second leaves (its data stays, the first goes on
// sharing); English and the dark theme.
//
// Needs KURA_BIN (built with the UI embedded), a reachable OS keyring (scripts/with-keyring.sh)
// and /usr/bin/chromium. Screenshots go to SCREENSHOT_DIR.

import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { KURA, SHOTS, freePort, kuraEnv, launchChromium, nextOpened, runScenario, signInAndAllow, start as startChild, waitFor, screenshots, yen } from "./support.mjs";

const work = mkdtempSync(join(tmpdir(), "kura-e2e-share-"));
const children = [];

function start(name, args, env, ready) {
  return startChild(name, KURA, args, env, ready, { onSpawn: (child) => children.push(child) });
}

const shot = screenshots("share-");

/** A desktop: `kura serve` in its own folder, and its API. */
async function desktop(name, sandboxPort) {
  const dir = join(work, name);
  mkdirSync(dir);
  const { env, opened } = kuraEnv(dir, sandboxPort);
  const { match } = await start(name, ["serve"], env, /(http:\/\/127\.0\.0\.1:(\d+)\/#token=[0-9a-f]+)/);
  const [, appUrl, port] = match;
  const token = new URL(appUrl).hash.replace(/^#token=/, "");
  const api = async (command, body) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/${command}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Kura-Token": token },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, `${name} ${command}: ${await res.clone().text()}`);
    return res.json();
  };
  /** Every line, paged, as what both desktops must agree on (ids are each desktop's own). */
  const lines = async () => {
    const rows = [];
    let cursor = null;
    do {
      const page = await api("transactions", { filter: {}, cursor, limit: 1000 });
      rows.push(...page.rows);
      cursor = page.nextCursor;
    } while (cursor);
    return rows.map((r) => JSON.stringify([r.transactionDate, r.valueDate, r.amount, r.balance, r.remarks, r.itemKey, r.memo, r.transfer]));
  };
  return { appUrl, api, opened, lines };
}

/** The first `n` history rows as the page shows them. */
const historyRows = (page, n = 8) => page.getByTestId("tx-row").evaluateAll((rows, n) => rows.slice(0, n).map((r) => r.innerText), n);

const pages = [];

async function main() {
  const sandboxPort = await freePort();
  await start("sandbox", ["sandbox", "--port", String(sandboxPort)], {}, /127\.0\.0\.1:\d+/);
  const shared = join(work, "shared");
  mkdirSync(shared);
  const first = await desktop("living", sandboxPort);
  const second = await desktop("study", sandboxPort);

  const browser = await launchChromium();
  try {
    // The first desktop's data: demo's link at 北央信用組合, synced.
    const contextA = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    await first.api("linkStart", { bankCode: "2011" });
    await signInAndAllow(contextA, await nextOpened(first.opened, 0));
    await waitFor(
      "the first sync",
      async () => {
        const { runs } = await first.api("syncLog", { linkId: null, before: null, limit: 100 });
        return runs.length > 0 && runs.every((r) => r.state !== "running");
      },
      90_000,
    );
    const [link] = (await first.api("linksList", {})).links;
    assert.equal(link.bankCode, "2011");

    const a = await contextA.newPage();
    pages.push(a);
    const consoleErrors = [];
    a.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    await a.goto(first.appUrl);
    await a.getByTestId("account-card").first().waitFor();

    // Settings → デスクトップ間の共有: not shared; what it does, and the two ways in.
    await a.getByRole("button", { name: "設定", exact: true }).click();
    const shareA = a.getByTestId("share");
    await shareA.getByRole("heading", { name: "デスクトップ間の共有" }).waitFor();
    const lead = await shareA.locator(".lead-text").innerText();
    for (const said of ["データベースそのものは同期しません", "Syncthing", "暗号化", "連携したデスクトップだけ"]) assert.ok(lead.includes(said), lead);
    await shot(a, "not-shared", shareA);

    // Start sharing: the folder and a name; the pairing code, big and grouped, and that it is a key.
    await shareA.getByRole("button", { name: "新しく共有を始める" }).click();
    const create = shareA.getByTestId("share-create");
    await create.getByTestId("share-folder-input").fill(shared);
    await create.getByTestId("share-name-input").fill("居間のパソコン");
    await shot(a, "create-form", shareA);
    await create.getByRole("button", { name: "共有を始める", exact: true }).click();
    const codeShown = shareA.getByTestId("pairing-code");
    await codeShown.waitFor();
    const code = (await codeShown.innerText()).replace(/\s/g, "");
    assert.match(code, /^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}$/, code);
    assert.equal(await codeShown.locator(".group").count(), 7);
    assert.equal(code, (await first.api("shareCode", {})).code, "the page shows the core's code");
    await shareA.getByText("このコードは鍵です。", { exact: false }).waitFor();
    await shareA.getByText("共有を始めました。", { exact: false }).waitFor();
    assert.equal(await shareA.getByTestId("share-folder").innerText(), shared);
    assert.equal(await shareA.getByTestId("share-desktop").innerText(), "居間のパソコン");
    await shareA.getByTestId("share-no-peers").waitFor();
    const statusA = await first.api("shareStatus", {});
    assert.deepEqual([statusA.folder, statusA.desktopName, statusA.peers.length], [shared, "居間のパソコン", 0]);
    // Copying: the clipboard gets the code as shown.
    await contextA.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(first.appUrl).origin });
    await shareA.getByRole("button", { name: "コピー", exact: true }).click();
    await shareA.getByText("コピーしました").waitFor();
    assert.equal(await a.evaluate(() => navigator.clipboard.readText()), code);
    await shot(a, "created-code", shareA);

    // The second desktop: nothing linked; Settings → 共有に参加する.
    const contextB = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    const b = await contextB.newPage();
    pages.push(b);
    b.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    await b.goto(second.appUrl);
    await b.getByRole("button", { name: "設定", exact: true }).click();
    const shareB = b.getByTestId("share");
    await shareB.getByRole("button", { name: "共有に参加する" }).click();
    const join_ = shareB.getByTestId("share-join");
    await join_.getByTestId("share-folder-input").fill(shared);
    await join_.getByTestId("share-name-input").fill("書斎のパソコン");

    // A code that cannot be one: said here, before asking the core.
    await join_.getByTestId("share-code-input").fill(code.slice(0, 12));
    await join_.getByRole("button", { name: "参加する", exact: true }).click();
    await join_.getByRole("alert").getByText("ペアリングコードは 26 文字です", { exact: false }).waitFor();
    assert.equal(await join_.getByTestId("share-code-input").getAttribute("aria-invalid"), "true");

    // A well-formed code of another household: refused in plain words, the core's kept as the detail.
    const wrong = (code[0] === "A" ? "B" : "A") + code.slice(1);
    await join_.getByTestId("share-code-input").fill(wrong);
    await join_.getByRole("button", { name: "参加する", exact: true }).click();
    const refused = shareB.getByRole("alert").filter({ hasText: "このフォルダーとペアリングコードでは参加できません" });
    await refused.waitFor();
    await refused.getByText("ペアリングコードを表示", { exact: false }).waitFor();
    await refused.getByText("詳細", { exact: false }).click();
    await refused.getByText("does not open the household", { exact: false }).waitFor();
    assert.equal((await second.api("shareStatus", {})).folder, null, "nothing joined");
    await shot(b, "wrong-code", shareB);

    // The code as typed by hand (lower case, spaces): joined, and what arrived.
    await join_.getByTestId("share-code-input").fill(code.toLowerCase().replaceAll("-", " "));
    await join_.getByRole("button", { name: "参加する", exact: true }).click();
    const noticeB = shareB.getByTestId("share-notice");
    await noticeB.waitFor({ timeout: 60_000 });
    const joined = (await noticeB.innerText()).match(/共有に参加しました。明細 ([\d,]+) 件と編集 ([\d,]+) 件が届きました。/);
    assert.ok(joined, await noticeB.innerText());
    const [linesA, linesB] = [await first.lines(), await second.lines()];
    assert.ok(linesA.length > 0);
    assert.equal(Number(joined[1].replace(/,/g, "")), linesA.length, "every line of the first desktop arrived");
    assert.deepEqual(linesB.sort(), [...linesA].sort(), "the second desktop holds the first's lines");
    assert.equal(await shareB.getByTestId("share-desktop").innerText(), "書斎のパソコン");
    // The first desktop, as the second hears it: its name, just now, and the union it fetches.
    const peerB = shareB.getByTestId("share-peer");
    assert.equal(await peerB.count(), 1);
    assert.equal(await peerB.locator(".peer-name").innerText(), "居間のパソコン");
    assert.match(await peerB.getByTestId("share-peer-heard").innerText(), /^最終受信 (たった今|\d+ 分前)（\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}）$/);
    assert.equal(await peerB.getByTestId("share-peer-links").innerText(), "取得している組合: 北央信用組合");
    assert.equal(await shareB.getByTestId("pairing").count(), 0, "the code is hidden until asked for");
    await shot(b, "joined", shareB);

    // The second desktop's dashboard, history and 家計簿 are the first's.
    const overviewA = await first.api("overview", {});
    assert.equal((await second.api("overview", {})).total, overviewA.total);
    const totalOf = async (page) => {
      await page.getByRole("button", { name: "ホーム", exact: true }).click();
      await page.getByTestId("account-card").first().waitFor();
      return yen(await page.getByTestId("total").innerText());
    };
    const [totalA, totalB] = [await totalOf(a), await totalOf(b)];
    assert.ok(totalA !== 0);
    assert.equal(totalB, totalA, "the same total on both desktops");
    assert.equal(await b.getByTestId("account-card").count(), await a.getByTestId("account-card").count());
    await shot(b, "second-dashboard");
    for (const page of [a, b]) {
      await page.getByRole("button", { name: "明細", exact: true }).click();
      await page.getByTestId("tx-row").nth(7).waitFor();
    }
    const [rowsA, rowsB] = [await historyRows(a), await historyRows(b)];
    assert.equal(rowsA.length, 8);
    assert.deepEqual(rowsB, rowsA, "the same history, line by line");
    assert.equal(await b.getByTestId("row-count").innerText(), await a.getByTestId("row-count").innerText());
    await shot(b, "second-history");
    // The second desktop's Links: the link is the first desktop's to fetch, renew and unlink.
    await b.getByRole("button", { name: "連携", exact: true }).click();
    const card = b.getByTestId("link-card");
    await card.waitFor();
    assert.equal(await card.count(), 1);
    assert.equal(await card.getByTestId("fetched-by").innerText(), "居間のパソコン");
    await card.getByTestId("fetched-elsewhere").getByText("そのデスクトップで行ってください", { exact: false }).waitFor();
    assert.equal(await card.getByRole("button", { name: "再認証" }).count(), 0);
    assert.equal(await card.getByRole("button", { name: "連携を解除" }).count(), 0);
    await shot(b, "second-links", card);
    // The first desktop's own link says nothing of the kind.
    assert.equal((await first.api("linksList", {})).links[0].fetchedBy, null);
    const now = new Date(Date.now() + 9 * 3600_000);
    const index = now.getUTCFullYear() * 12 + now.getUTCMonth() - 1;
    const month = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
    const booksA = await first.api("booksMonth", { month, accounts: [] });
    const booksB = await second.api("booksMonth", { month, accounts: [] });
    assert.deepEqual([booksB.spending, booksB.income], [booksA.spending, booksA.income], "the same 家計簿 month");

    // The first desktop syncs now and hears from the second (which fetches no union).
    await a.getByRole("button", { name: "設定", exact: true }).click();
    await shareA.getByRole("button", { name: "今すぐ同期" }).click();
    const noticeA = shareA.getByTestId("share-notice");
    await noticeA.getByText(/^同期しました。/).waitFor();
    const peerA = shareA.getByTestId("share-peer");
    await peerA.waitFor();
    assert.equal(await peerA.locator(".peer-name").innerText(), "書斎のパソコン");
    assert.equal(await peerA.getByTestId("share-peer-links").innerText(), "組合の取得はしていません");
    // The code on request, hidden again.
    assert.equal(await shareA.getByTestId("pairing").count(), 0);
    await shareA.getByRole("button", { name: "ペアリングコードを表示" }).click();
    assert.equal((await shareA.getByTestId("pairing-code").innerText()).replace(/\s/g, ""), code);
    await shot(a, "first-shared", shareA);
    await shareA.getByRole("button", { name: "ペアリングコードを隠す" }).click();
    assert.equal(await shareA.getByTestId("pairing").count(), 0);

    // A file in the folder that is not Kura's: left alone, and said so in plain words.
    const [desktopDir] = readdirSync(join(shared, "desktops"));
    const stranger = join(shared, "desktops", "0123456789abcdef0123456789abcdef");
    mkdirSync(stranger);
    writeFileSync(join(stranger, "000000000001.kseg"), "not a segment at all\n");
    assert.ok(desktopDir);
    await b.getByRole("button", { name: "設定", exact: true }).click();
    await shareB.getByRole("button", { name: "今すぐ同期" }).click();
    await shareB.getByTestId("share-notice").getByText("1 件のファイルは読み込みませんでした", { exact: false }).waitFor();
    const problem = shareB.getByTestId("share-problem");
    await problem.waitFor();
    assert.equal(await problem.count(), 1);
    const problemText = await problem.innerText();
    assert.ok(problemText.includes("0123456789abcdef0123456789abcdef/000000000001.kseg"), problemText);
    const kind = await problem.getAttribute("data-problem");
    assert.ok(["notKura", "incomplete", "unreadable"].includes(kind), kind);
    assert.ok(/Kura のファイルではありません|途中|読めません/.test(problemText), problemText);
    await shot(b, "problem", shareB);

    // The second desktop leaves: asked first; its data stays, the first goes on sharing.
    await shareB.getByRole("button", { name: "共有をやめる" }).click();
    const confirm = shareB.getByRole("alertdialog");
    await confirm.getByText("このデスクトップのデータはそのまま残ります。", { exact: false }).waitFor();
    await confirm.getByText("共有フォルダーも残る", { exact: false }).waitFor();
    await shot(b, "leave-confirm", shareB);
    await confirm.getByRole("button", { name: "共有をやめる" }).click();
    await shareB.getByTestId("share-notice").getByText("共有をやめました。データはこのデスクトップに残っています。").waitFor();
    await shareB.getByRole("button", { name: "共有に参加する" }).waitFor();
    assert.equal((await second.api("shareStatus", {})).folder, null);
    assert.equal((await second.lines()).length, linesA.length, "the data stayed");
    assert.equal((await first.api("shareStatus", {})).folder, shared, "the first desktop still shares");
    assert.ok(readdirSync(shared).includes("kura-household.json"), "the folder stays for the others");
    assert.equal(await totalOf(b), totalA);

    // English, dark: the first desktop's section.
    await a.emulateMedia({ colorScheme: "dark" });
    await a.getByLabel("表示言語").selectOption("en");
    await a.getByRole("button", { name: "保存", exact: true }).click();
    await shareA.getByRole("heading", { name: "Share with another desktop" }).waitFor();
    await shareA.getByRole("button", { name: "Show the pairing code" }).click();
    await shareA.getByText("This code is a key", { exact: false }).waitFor();
    assert.match(await shareA.getByTestId("share-peer-heard").innerText(), /^Last heard from (just now|\d+ min ago) \(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}\)$/);
    await shot(a, "shared-en-dark", shareA);
    // The second, not shared any more, in English and dark too.
    await b.emulateMedia({ colorScheme: "dark" });
    await b.getByRole("button", { name: "設定", exact: true }).click();
    await b.getByLabel("表示言語").selectOption("en");
    await b.getByRole("button", { name: "保存", exact: true }).click();
    await shareB.getByRole("button", { name: "Join a share" }).click();
    await shot(b, "join-en-dark", shareB);

    assert.deepEqual(
      // The refused code's answer (a failed request) is the only console error.
      consoleErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e)),
      [],
    );
    console.log("e2e share: all steps passed");
  } catch (e) {
    for (const [i, page] of pages.entries()) await shot(page, `failure-${i}`).catch(() => {});
    throw e;
  } finally {
    await browser.close();
  }
}

runScenario(main, children, work);
