// Process and polling helpers for the scripts in ui/e2e that start Kura's binaries.

import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { chromium } from "playwright-core";

/** The `kura` binary under test (KURA_BIN). */
export const KURA = process.env.KURA_BIN ?? "kura";
/** Where the runs keep their screenshots (SCREENSHOT_DIR; CI keeps them as artifacts). */
export const SHOTS = process.env.SCREENSHOT_DIR ?? join(process.cwd(), "..", "target", "ui-screenshots");
/** Debian's Chromium (CHROMIUM), driven by playwright-core. */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Headless Chromium as the Playwright runs use it: no GPU, no background traffic. */
export function launchChromium() {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/**
 * Starts `command` and resolves once a line of its stdout matches `ready`, with the child, the
 * match and the wall-clock time (ms since the epoch) just before the spawn. `onSpawn` gets the
 * child at once, so a caller can stop it even when it never becomes ready.
 */
export function start(name, command, args, env, ready, { quiet = false, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const spawnedAt = performance.timeOrigin + performance.now();
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    onSpawn?.(child);
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${out}`)), 60_000);
    child.stdout.on("data", (d) => {
      out += d.toString();
      if (!quiet) process.stderr.write(`[${name}] ${d}`);
      const m = out.match(ready);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m, spawnedAt });
      }
    });
    child.stderr.on("data", (d) => quiet || process.stderr.write(`[${name}] ${d}`));
    child.on("exit", (code) => reject(new Error(`${name} exited with ${code}: ${out}`)));
  });
}

/** Ends a child with SIGTERM and waits for it. */
export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners("exit");
    child.on("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * The environment of a `kura` under test in `work`: its own data and config folders, the sandbox
 * on `sandboxPort`, and as KURA_BROWSER a script that appends each URL Kura opens to a file the
 * test reads with `opened()` (the test then loads it in its own browser).
 */
export function kuraEnv(work, sandboxPort) {
  const urls = join(work, "urls.txt");
  const opener = join(work, "open-browser.sh");
  writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${urls}'\n`);
  chmodSync(opener, 0o755);
  const env = {
    KURA_DATA_DIR: join(work, "data"),
    KURA_CONFIG_DIR: join(work, "config"),
    KURA_SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
    KURA_BROWSER: opener,
  };
  const opened = () => (existsSync(urls) ? readFileSync(urls, "utf8").trim().split("\n") : []);
  return { env, opened };
}

/** The next URL Kura opens: waits until `opened()` of `kuraEnv` holds more than `before` URLs. */
export function nextOpened(opened, before, what = "the authorization URL") {
  return waitFor(what, () => {
    const urls = opened();
    return urls.length > before ? urls.pop() : null;
  });
}

/**
 * Signs in as `user` (the sandbox's demo logins have the password = the user name) on the
 * sandbox's login page at `url` in a new page of the Playwright `context`, allows access, and
 * waits until the browser is back at Kura's loopback callback.
 */
export async function signInAndAllow(context, url, user = "demo") {
  const page = await context.newPage();
  await page.goto(url);
  await page.locator("#username").fill(user);
  await page.locator("#password").fill(user);
  await page.locator('button[name="action"][value="sign_in"]').click();
  await page.locator('button[name="decision"][value="allow"]').click();
  await page.waitForURL(/127\.0\.0\.1:\d+\/callback/);
  await page.close();
}

/** Runs the async `main`, then stops `children` and removes `work` (kept after a failure, to look at). */
export function runScenario(main, children, work) {
  main()
    .then(async () => {
      for (const c of children) await stop(c);
      rmSync(work, { recursive: true, force: true });
    })
    .catch(async (e) => {
      console.error(e);
      for (const c of children) await stop(c);
      process.exitCode = 1;
    });
}

/** Polls `fn` every `everyMs` until it returns something truthy. */
export async function waitFor(what, fn, timeoutMs = 60_000, everyMs = 200) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** `pid` and every process below it (Linux /proc). */
export function processTree(pid) {
  const parents = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces and parentheses: the fields start after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

function kib(text, field) {
  const m = text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return m ? Number(m[1]) : 0;
}

/**
 * Memory of each process in `pids`: its name, VmRSS and VmHWM (peak RSS) from /proc/PID/status
 * and PSS (shared pages split among their users) from /proc/PID/smaps_rollup, in MiB.
 */
export function memory(pids) {
  const out = [];
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      out.push({
        pid,
        name: status.match(/^Name:\s+(.*)$/m)[1],
        rssMiB: kib(status, "VmRSS") / 1024,
        hwmMiB: kib(status, "VmHWM") / 1024,
        pssMiB: kib(rollup, "Pss") / 1024,
      });
    } catch {
      // Gone, or a kernel thread without smaps.
    }
  }
  return out;
}

/** Where a process's PSS goes: the `n` largest mappings by PSS (summed per file; anonymous memory as "[anon]"), in MiB. */
export function largestMappings(pid, n = 6) {
  let smaps;
  try {
    smaps = readFileSync(`/proc/${pid}/smaps`, "utf8");
  } catch {
    return [];
  }
  const byName = new Map();
  let name = "";
  for (const line of smaps.split("\n")) {
    const header = line.match(/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/);
    if (header) {
      name = header[1] || "[anon]";
      continue;
    }
    const pss = line.match(/^Pss:\s+(\d+) kB/);
    if (pss) byName.set(name, (byName.get(name) ?? 0) + Number(pss[1]) / 1024);
  }
  return [...byName].sort((a, b) => b[1] - a[1]).slice(0, n).map(([file, mib]) => ({ file, pssMiB: mib }));
}

/** When process `pid` started, in ms since the epoch (to the kernel's clock tick, 10 ms). */
export function startedAt(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const ticks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  const uptimeS = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
  const bootedAt = performance.timeOrigin + performance.now() - uptimeS * 1000;
  return bootedAt + ticks * 10; // USER_HZ is 100 on Linux
}

/** ¥1,234 / -¥1,234 / +¥1,234 as a number. */
export function yen(text) {
  const m = text.trim().match(/^([+-]?)¥([\d,]+)$/);
  if (!m) throw new Error(`not an amount: ${JSON.stringify(text)}`);
  return (m[1] === "-" ? -1 : 1) * Number(m[2].replace(/,/g, ""));
}

/** Numbered screenshots under SHOTS, named `<prefix>NN-<name>.png`: the whole page, or only
 * `part` of it (a section, wherever it is scrolled to). */
export function screenshots(prefix) {
  let step = 0;
  return async (page, name, part = null) => {
    step += 1;
    const file = join(SHOTS, `${prefix}${String(step).padStart(2, "0")}-${name}.png`);
    if (part) await part.screenshot({ path: file });
    else await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot ${file}`);
  };
}
