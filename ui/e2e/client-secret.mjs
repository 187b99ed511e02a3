// The link dialog of a confidential client, through `kura serve` in headless Chromium against the
// sandbox: with the profile `kura sandbox` prints for its intermediary client, linking 北央 asks
// for the client secret; a wrong one is refused after the login and not kept, the right one links.
//
// Needs what run.mjs needs: KURA_BIN, a reachable OS keyring (scripts/with-keyring.sh),
// /usr/bin/chromium. Screenshots go to SCREENSHOT_DIR.

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { KURA, SHOTS, freePort, kuraEnv, launchChromium, nextOpened, runScenario, signInAndAllow, start as startChild } from "./support.mjs";


const work = mkdtempSync(join(tmpdir(), "kura-e2e-secret-"));
const children = [];
const start = (name, args, env, ready) => startChild(name, KURA, args, env, ready, { onSpawn: (c) => children.push(c) });

async function main() {
  const sandboxPort = await freePort();
  // Ready once the sandbox has printed its confidential client: the secret and the profile, used
  // as printed (the profile's lines are indented by four spaces).
  const { match } = await start(
    "sandbox",
    ["sandbox", "--port", String(sandboxPort)],
    {},
    /secret (\S+), loopback[^\n]*\n([\s\S]*?confidential = true)\n/,
  );
  const [, secret, printedProfile] = match;
  mkdirSync(join(work, "config"));
  writeFileSync(join(work, "config", "profiles.toml"), printedProfile.replace(/^ {4}/gm, "") + "\n");

  const { env, opened } = kuraEnv(work, sandboxPort);
  const { match: served } = await start("serve", ["serve"], env, /(http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/);
  const appUrl = served[1];

  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1200, height: 860 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
  const page = await context.newPage();
  try {
    await page.goto(appUrl);
    await page.getByLabel("組合名・よみがな・4桁の金融機関コードで検索").fill("2011");
    await page.getByRole("button", { name: /北央信用組合/ }).click();

    // No secret stored: the dialog asks for it before any browser opens.
    await page.getByText("この組合への接続にはクライアントシークレットが必要です").waitFor();
    const field = page.getByLabel("クライアントシークレット");
    assert.equal(await field.getAttribute("type"), "password");
    assert.equal(opened().length, 0);
    await page.screenshot({ path: join(SHOTS, "secret-asked.png"), fullPage: true });

    // A wrong secret: the union refuses it at the token exchange, after the login.
    await field.fill("not-the-secret");
    await page.getByRole("button", { name: "シークレットを使って連携する" }).click();
    await page.getByText("ブラウザで 北央信用組合 にログインし").waitFor();
    await signInAndAllow(context, await nextOpened(opened, 0));
    await page.getByText("この組合への接続にはクライアントシークレットが必要です").waitFor();
    // The core's own words, in the panel's (closed) details.
    const details = await page.locator(".error-panel pre").textContent();
    assert.match(details, /the secret just given was not kept/, details);

    // The right one links, and the dashboard fills from the first sync.
    await page.getByLabel("クライアントシークレット").fill(secret);
    await page.getByRole("button", { name: "シークレットを使って連携する" }).click();
    await signInAndAllow(context, await nextOpened(opened, 1));
    await page.getByText("総残高").waitFor({ timeout: 60_000 });
    await page.getByTestId("account-card").first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SHOTS, "secret-linked.png"), fullPage: true });
    console.log("client-secret e2e: all steps passed");
  } catch (e) {
    await page.screenshot({ path: join(SHOTS, "secret-failure.png"), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await browser.close();
  }
}

runScenario(main, children, work);
