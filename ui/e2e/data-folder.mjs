// Settings → データの保存先 in a browser, through `kura serve` as a person runs it (no data folder
// given): a typed folder that is not empty is refused, a move is asked for and withdrawn, asked
// for again, and done when `kura serve` starts next.
//
// Needs KURA_BIN and /usr/bin/chromium. Screenshots go to SCREENSHOT_DIR.

import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { KURA, SHOTS, launchChromium, runScenario, start as startChild, stop } from "./support.mjs";


const work = mkdtempSync(join(tmpdir(), "kura-e2e-folder-"));
const children = [];
// No KURA_DATA_DIR: the platform's data folder, under this run's XDG_DATA_HOME.
const env = { XDG_DATA_HOME: join(work, "xdg"), KURA_CONFIG_DIR: join(work, "config"), KURA_DATA_DIR: undefined };
const serve = () =>
  startChild("serve", KURA, ["serve"], env, /(http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/, { onSpawn: (c) => children.push(c) });

async function main() {
  const old = join(work, "xdg", "kura");
  const taken = join(work, "taken");
  mkdirSync(taken);
  writeFileSync(join(taken, "notes.txt"), "mine");
  const target = join(work, "Documents", "Kura");

  let { child, match } = await serve();
  const browser = await launchChromium();
  const page = await (await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo" })).newPage();
  const folder = page.locator("fieldset.data-folder");
  const openSettings = async (url) => {
    await page.goto(url);
    await page.getByRole("button", { name: "設定", exact: true }).click();
    await folder.getByTestId("data-folder").waitFor();
  };
  const askFor = async (path) => {
    await folder.getByLabel("移動先のフォルダー（フルパス）").fill(path);
    await folder.getByRole("button", { name: "このフォルダーへ移動する" }).click();
  };
  try {
    await openSettings(match[1]);
    assert.equal(await folder.getByTestId("data-folder").innerText(), old);

    // A folder holding someone's files is refused, with what to do.
    await askFor(taken);
    await folder.getByRole("alert").waitFor();
    // The core's own words, in the panel's (closed) details.
    assert.match(await folder.locator(".error-panel pre").textContent(), /is not empty; choose an empty or a new folder/);
    assert.equal(await folder.getByTestId("data-folder-pending").count(), 0);

    // Asked for, withdrawn, asked for again: nothing moves while Kura runs.
    await askFor(target);
    await folder.getByText(`次に起動したときに ${target} へ移動します`).waitFor();
    await folder.getByRole("button", { name: "移動を取り消す" }).click();
    await folder.getByLabel("移動先のフォルダー（フルパス）").waitFor();
    await askFor(target);
    await folder.getByTestId("data-folder-pending").waitFor();
    await page.screenshot({ path: join(SHOTS, "data-folder-pending.png"), fullPage: true });
    assert.ok(!existsSync(target), "nothing moves while Kura runs");

    // The next start moves it and says so.
    await stop(child);
    ({ child, match } = await serve());
    await openSettings(match[1]);
    await folder.getByText(`データを ${old} から移動しました。`).waitFor();
    assert.equal(await folder.getByTestId("data-folder").innerText(), target);
    assert.ok(!existsSync(old) && existsSync(join(target, "kura.sqlite3")));
    await page.screenshot({ path: join(SHOTS, "data-folder-moved.png"), fullPage: true });
    console.log("data-folder e2e: all steps passed");
  } catch (e) {
    await page.screenshot({ path: join(SHOTS, "data-folder-failure.png"), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await browser.close();
  }
}

runScenario(main, children, work);
