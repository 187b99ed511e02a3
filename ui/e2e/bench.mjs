// The UI benchmark (docs/PERFORMANCE.md, "Desktop app and UI"): over a store that already holds
// the cached transactions (scripts/bench-ui seeds it), measures
// - cold start to a painted dashboard total: the desktop app (kura-desktop under Xvfb, through
//   tauri-driver + WebKitWebDriver) and `kura serve` + headless Chromium;
// - memory of the app's processes (peak RSS, PSS and USS) after the dashboard, after opening the
//   account and after scrolling its history;
// - frame times while the history is scrolled programmatically through SCROLL_ROWS rows;
// - search latency in the UI (ｶｰﾄﾞ), and the command layer's own latency over HTTP;
// - opening 家計簿: the click to its month's totals painted (the books over every cached line).
// It prints the figures and writes them as JSON to KURA_BENCH_OUT when set. No assertions on time:
// this is a benchmark, not a test.
//
// Env: KURA_BENCH_DATA (the seeded data dir, required), KURA_BIN (kura), KURA_DESKTOP_BIN
// (kura-desktop; the desktop part runs only when set), KURA_BENCH_RUNS (cold starts per shell,
// default 5), KURA_BENCH_SCROLL_ROWS (default 100000), KURA_BENCH_SCROLL_STEP (px per frame,
// default 1800), KURA_BENCH_SETTLE_MS (idle time after scrolling before memory is read again,
// default 5000), CHROMIUM, TAURI_DRIVER.

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { chromium } from "playwright-core";
import { freePort, largestMappings, memory, processTree, start, startedAt, stop, waitFor } from "./support.mjs";

const DATA = process.env.KURA_BENCH_DATA;
if (!DATA || !existsSync(join(DATA, "kura.sqlite3"))) {
  console.error("KURA_BENCH_DATA must name a seeded Kura data dir (scripts/bench-ui makes one)");
  process.exit(2);
}
const KURA = process.env.KURA_BIN ?? "kura";
const DESKTOP = process.env.KURA_DESKTOP_BIN;
/** A minimal Tauri window with Kura's webview settings (src-tauri/examples/floor.rs): the floor under Kura's memory. */
const FLOOR = process.env.KURA_FLOOR_BIN;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TAURI_DRIVER = process.env.TAURI_DRIVER ?? "tauri-driver";
const RUNS = Number(process.env.KURA_BENCH_RUNS ?? 5);
const SCROLL_ROWS = Number(process.env.KURA_BENCH_SCROLL_ROWS ?? 100_000);
const SCROLL_STEP = Number(process.env.KURA_BENCH_SCROLL_STEP ?? 1800);
const SEARCH = "ｶｰﾄﾞ";
/** How long the desktop app is left idle after scrolling before its memory is read again. */
const SETTLE_MS = Number(process.env.KURA_BENCH_SETTLE_MS ?? 5000);
/** How long a memory reading at rest waits for other WebKit processes on the machine to end. */
const QUIET_WAIT_MS = 120_000;
/** The history's row height (ROW_HEIGHT in ui/src/screens/Account.tsx). */
const ROW_HEIGHT = 36;
const MARK = "kura:dashboard-total";

const work = mkdtempSync(join(tmpdir(), "kura-bench-"));
// Nothing to sync against: the app starts offline and shows the cache, so a background sync
// does not compete with the start being measured.
const deadSandbox = `http://127.0.0.1:${await freePort()}`;
const appEnv = {
  KURA_DATA_DIR: DATA,
  KURA_CONFIG_DIR: join(work, "config"),
  KURA_SANDBOX_URL: deadSandbox,
  KURA_BROWSER: "/bin/true",
  XDG_CONFIG_HOME: join(work, "xdg-config"),
  XDG_CACHE_HOME: join(work, "xdg-cache"),
  XDG_DATA_HOME: join(work, "xdg-data"),
};

// ---- In-page measurements (plain functions: Playwright passes them as they are, WebDriver as
// source text). Times are performance.now() milliseconds of the page.

/** Clicks the first account card; ms until its first history rows have been painted. */
async function openAccountInPage() {
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const t0 = performance.now();
  document.querySelector('[data-testid="account-card"]').click();
  while (!document.querySelector('[data-testid="tx-row"]')) await frame();
  await frame();
  await frame();
  return performance.now() - t0;
}

/**
 * Scrolls the history by `step` px a frame until row `rows` is in view; every frame's duration
 * (requestAnimationFrame deltas), and the frames that could not move because the next page of
 * rows had not arrived yet.
 */
async function scrollInPage([rows, step, rowHeight]) {
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const el = document.querySelector(".viewport");
  const end = rows * rowHeight - el.clientHeight;
  const deltas = [];
  let waiting = 0;
  let last = await frame();
  const t0 = last;
  while (el.scrollTop < end) {
    const before = el.scrollTop;
    el.scrollTop = Math.min(end, before + step);
    const now = await frame();
    deltas.push(now - last);
    last = now;
    if (el.scrollTop === before) waiting += 1;
    if (now - t0 > 10 * 60_000) throw new Error(`scrolled for 10 minutes and reached ${el.scrollTop}px of ${end}px`);
  }
  // The history's table states how many lines it holds (aria-rowcount).
  const loaded = Number(document.querySelector("[aria-rowcount]")?.getAttribute("aria-rowcount") ?? 0);
  return { deltas, waiting, ms: last - t0, loaded };
}

/**
 * Opens 家計簿 from the menu (`books`, its name in the page's language); ms until the month's
 * totals have been painted (the screen's kura:books-total mark). With `home` (the dashboard's menu
 * name), from the dashboard, once it has settled; else from the screen shown.
 */
async function openBooksInPage([books, home]) {
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const menu = (label) => [...document.querySelectorAll("nav button")].find((b) => b.textContent.trim() === label);
  if (home) {
    menu(home).click();
    for (let i = 0; i < 30; i++) await frame();
  }
  performance.clearMarks("kura:books-total");
  const t0 = performance.now();
  menu(books).click();
  for (;;) {
    const mark = performance.getEntriesByName("kura:books-total", "mark")[0];
    if (mark) return mark.startTime - t0;
    await frame();
  }
}

/** Types `word` into the search box; ms until the new table's first rows have been painted. */
async function searchInPage([word]) {
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const input = document.querySelector('[data-testid="search"]');
  const before = document.querySelector('[data-testid="row-count"]');
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
  const t0 = performance.now();
  setValue.call(input, word);
  input.dispatchEvent(new Event("input", { bubbles: true }));
  // The table is keyed by its filter: a new one (new row-count element) with rows is the result.
  for (;;) {
    const count = document.querySelector('[data-testid="row-count"]');
    if (count && count !== before && document.querySelector('[data-testid="tx-row"]')) break;
    await frame();
  }
  await frame();
  await frame();
  const first = document.querySelector('[data-testid="tx-row"] .remarks').textContent;
  return { ms: performance.now() - t0, first };
}

/** Where a page load's time went: navigation timing and the commands it called, in page ms. */
function pageTimelineInPage() {
  const nav = performance.getEntriesByType("navigation")[0];
  const calls = performance
    .getEntriesByType("resource")
    .filter((r) => r.name.includes("/api/") || r.name.startsWith("ipc:") || r.name.includes("ipc.localhost"))
    .map((r) => `${r.name.split("/").pop()} ${Math.round(r.startTime)}–${Math.round(r.responseEnd)}`);
  const mark = performance.getEntriesByName("kura:dashboard-total", "mark")[0];
  const parts = [
    nav && `document ${Math.round(nav.responseEnd)}`,
    nav && `DOMContentLoaded ${Math.round(nav.domContentLoadedEventEnd)}`,
    ...calls,
    mark && `painted ${Math.round(mark.startTime)}`,
  ];
  return { navigationStart: performance.timeOrigin, summary: parts.filter(Boolean).join(", ") };
}

/** The wall-clock time (ms since the epoch) of the dashboard's paint mark, or null. */
function paintedAtInPage([mark]) {
  const m = performance.getEntriesByName(mark, "mark")[0];
  return m ? performance.timeOrigin + m.startTime : null;
}

// ---- Figures

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
const median = (xs) => quantile(xs, 0.5);
const ms = (x) => `${Math.round(x)} ms`;
const mib = (x) => `${x.toFixed(0)} MiB`;

function frameStats({ deltas, waiting, ms: total, loaded }) {
  // A frame that took longer than 1.5 vsync intervals (60 Hz) dropped at least one frame.
  const budget = 1000 / 60;
  const dropped = sum(deltas.map((d) => Math.max(0, Math.round(d / budget) - 1)));
  return {
    frames: deltas.length,
    p50: quantile(deltas, 0.5),
    p95: quantile(deltas, 0.95),
    p99: quantile(deltas, 0.99),
    max: Math.max(...deltas),
    longFrames: deltas.filter((d) => d > 1.5 * budget).length,
    droppedFrames: dropped,
    waitingForRows: waiting,
    seconds: total / 1000,
    loadedRows: loaded,
  };
}

/** USS: the pages only this process maps (Private_Clean + Private_Dirty), in MiB; unlike PSS, other processes mapping the same libraries do not change it. */
function ussMiB(pid) {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const kib = (field) => Number(rollup.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0);
    return (kib("Private_Clean") + kib("Private_Dirty")) / 1024;
  } catch {
    return 0;
  }
}

function memorySummary(pids, exclude = []) {
  const procs = memory(pids)
    .filter((p) => !exclude.includes(p.name))
    .map((p) => ({ ...p, ussMiB: ussMiB(p.pid) }));
  return {
    pssMiB: sum(procs.map((p) => p.pssMiB)),
    ussMiB: sum(procs.map((p) => p.ussMiB)),
    rssMiB: sum(procs.map((p) => p.rssMiB)),
    peakRssMiB: sum(procs.map((p) => p.hwmMiB)),
    processes: procs.map(({ name, pssMiB, ussMiB, hwmMiB }) => ({ name, pssMiB, ussMiB, peakRssMiB: hwmMiB })),
  };
}

/**
 * Other processes on the machine that map WebKitGTK (another app, a test's window): PSS splits
 * a shared library's pages among all its users, so while one runs the app's PSS reads low.
 */
function otherWebKitUsers(appPids) {
  const others = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!pid || appPids.includes(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/maps`, "utf8").includes("libwebkit2gtk")) {
        others.push(`${readFileSync(`/proc/${pid}/comm`, "utf8").trim()} (${pid})`);
      }
    } catch {
      // Gone, or not ours to read.
    }
  }
  return others;
}

/** CPU time (user + system) each named process has used so far, in seconds (clock ticks of 10 ms). */
function cpuSeconds(pids) {
  const out = {};
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const name = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      out[name] = (out[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // Gone.
    }
  }
  return out;
}

/**
 * The app's memory now, with a warning when other WebKit processes skew its PSS. With `quiet`,
 * first waits up to QUIET_WAIT_MS for them to end (the app is idle meanwhile).
 */
async function appMemory(pids, exclude, { quiet = false } = {}) {
  if (quiet) {
    const until = Date.now() + QUIET_WAIT_MS;
    while (otherWebKitUsers(pids).length && Date.now() < until) await new Promise((r) => setTimeout(r, 1000));
  }
  const m = memorySummary(pids, exclude);
  m.otherWebKitProcesses = otherWebKitUsers(pids);
  if (m.otherWebKitProcesses.length) {
    console.warn(`  warning: PSS reads low while other processes map WebKitGTK: ${m.otherWebKitProcesses.join(", ")}`);
  }
  return m;
}

function printMemory(label, m) {
  const each = m.processes.map((p) => `${p.name} ${mib(p.pssMiB)} (USS ${mib(p.ussMiB)}, peak RSS ${mib(p.peakRssMiB)})`).join(", ");
  console.log(`  memory ${label}: PSS ${mib(m.pssMiB)}, USS ${mib(m.ussMiB)}, RSS ${mib(m.rssMiB)}, sum of peak RSS ${mib(m.peakRssMiB)} — ${each}`);
}

function printFrames(label, f) {
  console.log(
    `  scroll ${label}: ${f.frames} frames in ${f.seconds.toFixed(1)} s; frame p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, ` +
      `p99 ${f.p99.toFixed(1)} ms, max ${f.max.toFixed(1)} ms; ${f.longFrames} long frames (>25 ms), ` +
      `${f.droppedFrames} dropped; ${f.waitingForRows} frames waited for the next page; ${f.loadedRows} lines loaded`,
  );
}

// ---- kura serve + headless Chromium

async function api(port, token, name, body) {
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/api/${name}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Kura-Token": token },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${name}: ${JSON.stringify(json)}`);
  return { ms: performance.now() - t0, json };
}

async function timeApi(port, token, name, body, n = 20) {
  await api(port, token, name, body);
  const times = [];
  for (let i = 0; i < n; i++) times.push((await api(port, token, name, body)).ms);
  return { median: median(times), max: Math.max(...times) };
}

async function benchChromium() {
  console.log(`\n## kura serve + headless Chromium (${RUNS} cold starts)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const result = { coldStart: [], navigationToPaint: [] };
  try {
    for (let run = 1; run <= RUNS; run++) {
      // The browser is the person's own and already open: its tab exists before Kura starts.
      const context = await browser.newContext({ viewport: { width: 1200, height: 860 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
      const page = await context.newPage();
      const { child: serve, match, spawnedAt } = await start("serve", KURA, ["serve"], appEnv, /(http:\/\/127\.0\.0\.1:(\d+)\/#token=[0-9a-f]+)/, { quiet: true });
      const readyAt = performance.timeOrigin + performance.now();
      const [, url, port] = match;
      const token = new URL(url).hash.replace(/^#token=/, "");
      await page.goto(url);
      const paintedAt = await waitFor("the dashboard's total", () => page.evaluate(paintedAtInPage, [MARK]), 60_000, 20);
      const timeline = await page.evaluate(pageTimelineInPage);
      result.coldStart.push(paintedAt - spawnedAt);
      result.navigationToPaint.push(paintedAt - timeline.navigationStart);
      console.log(
        `  run ${run}: spawn → painted total ${ms(paintedAt - spawnedAt)} (server ready ${ms(readyAt - spawnedAt)}; ` +
          `navigation → paint ${ms(paintedAt - timeline.navigationStart)}: ${timeline.summary})`,
      );

      if (run === RUNS) {
        const servePids = processTree(serve.pid);
        const heap = async () => (await page.evaluate(() => performance.memory.usedJSHeapSize)) / 2 ** 20;
        result.memory = { dashboard: { serve: memorySummary(servePids), jsHeapMiB: await heap() } };
        result.api = {
          overview: await timeApi(port, token, "overview", {}),
          latest500: await timeApi(port, token, "transactions", { filter: { accounts: [], from: null, to: null, flow: null, minAmount: null, maxAmount: null, search: null }, cursor: null, limit: 500 }),
          search500: await timeApi(port, token, "transactions", { filter: { accounts: [], from: null, to: null, flow: null, minAmount: null, maxAmount: null, search: SEARCH }, cursor: null, limit: 500 }),
          booksMonth: await timeApi(port, token, "booksMonth", { month: null, accounts: [] }),
          booksYear: await timeApi(port, token, "booksYear", { last: null, months: 12, accounts: [] }),
        };
        for (const [k, v] of Object.entries(result.api)) console.log(`  API ${k}: median ${v.median.toFixed(1)} ms, max ${v.max.toFixed(1)} ms (20 calls over HTTP)`);
        result.openAccount = await page.evaluate(openAccountInPage);
        console.log(`  open the account → first rows painted: ${ms(result.openAccount)}`);
        result.memory.account = { serve: memorySummary(servePids), jsHeapMiB: await heap() };
        result.scroll = frameStats(await page.evaluate(scrollInPage, [SCROLL_ROWS, SCROLL_STEP, ROW_HEIGHT]));
        printFrames(`through ${SCROLL_ROWS} rows`, result.scroll);
        result.memory.scrolled = { serve: memorySummary(servePids), jsHeapMiB: await heap() };
        result.search = await page.evaluate(searchInPage, [SEARCH]);
        console.log(`  search ${SEARCH} → first results painted: ${ms(result.search.ms)} (incl. the 200 ms typing debounce); first row ${result.search.first}`);
        result.openBooks = {
          fromAccount: await page.evaluate(openBooksInPage, ["家計簿"]),
          fromDashboard: await page.evaluate(openBooksInPage, ["家計簿", "ホーム"]),
        };
        console.log(`  open 家計簿 → the month's totals painted: from the account ${ms(result.openBooks.fromAccount)}, from the dashboard ${ms(result.openBooks.fromDashboard)}`);
        for (const [k, v] of Object.entries(result.memory)) {
          printMemory(`kura serve after ${k}`, v.serve);
          console.log(`  JS heap after ${k}: ${mib(v.jsHeapMiB)}`);
        }
      }
      await context.close();
      await stop(serve);
    }
  } finally {
    await browser.close();
  }
  console.log(`  cold start median ${ms(median(result.coldStart))} (min ${ms(Math.min(...result.coldStart))}, max ${ms(Math.max(...result.coldStart))})`);
  return result;
}

// ---- kura-desktop under Xvfb through tauri-driver + WebKitWebDriver

async function startXvfb() {
  for (let n = 90; n < 200; n++) {
    if (existsSync(`/tmp/.X${n}-lock`)) continue;
    const xvfb = spawn("Xvfb", [`:${n}`, "-screen", "0", "1280x900x24", "-nolisten", "tcp"], { stdio: "ignore" });
    try {
      await waitFor("Xvfb", () => existsSync(`/tmp/.X11-unix/X${n}`) || xvfb.exitCode !== null, 10_000, 50);
    } catch {
      // fall through to the next display
    }
    if (xvfb.exitCode === null && existsSync(`/tmp/.X11-unix/X${n}`)) return { xvfb, display: `:${n}` };
    xvfb.kill();
  }
  throw new Error("no free X display between :90 and :199");
}

class WebDriver {
  constructor(base) {
    this.base = base;
  }
  async request(method, path, body) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json)}`);
    return json.value;
  }
  async newSession(application) {
    const caps = { capabilities: { alwaysMatch: { browserName: "wry", "tauri:options": { application } } } };
    this.session = (await this.request("POST", "/session", caps)).sessionId;
  }
  async endSession() {
    await this.request("DELETE", `/session/${this.session}`);
  }
  /** Runs an in-page function (see above) with `args` and resolves to what it resolves to. */
  async run(fn, args) {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve((${fn.toString()})(arguments[0])).then((v) => done({ ok: v }), (e) => done({ error: String(e) }));`;
    const out = await this.request("POST", `/session/${this.session}/execute/async`, { script, args: [args] });
    if (out && "error" in out) throw new Error(out.error);
    return out?.ok;
  }
}

async function setScriptTimeout(wd, msTimeout) {
  await wd.request("POST", `/session/${wd.session}/timeouts`, { script: msTimeout });
}

async function benchDesktop() {
  const webkitEnv = Object.entries(process.env).filter(([k]) => k.startsWith("WEBKIT_")).map(([k, v]) => `${k}=${v}`);
  console.log(`\n## kura-desktop (${DESKTOP}) under Xvfb via tauri-driver + WebKitWebDriver (${RUNS} cold starts)`);
  console.log(`  WebKit environment: ${webkitEnv.join(" ") || "(none)"}`);
  const { xvfb, display } = await startXvfb();
  const port = await freePort();
  const nativePort = await freePort();
  const driver = spawn(TAURI_DRIVER, ["--port", String(port), "--native-port", String(nativePort)], {
    env: { ...process.env, ...appEnv, DISPLAY: display },
    stdio: "ignore",
  });
  const wd = new WebDriver(`http://127.0.0.1:${port}`);
  const result = { coldStart: [], execToPaint: [], sessionReady: [], navigationToPaint: [], webkitEnv };
  const appPids = () => processTree(driver.pid);
  // The driver's own processes are not the app's.
  const notApp = ["tauri-driver", "WebKitWebDriver"];
  try {
    await waitFor("tauri-driver", () => fetch(`${wd.base}/status`).then((r) => r.ok, () => false), 30_000);
    for (let run = 1; run <= RUNS; run++) {
      const t0 = performance.timeOrigin + performance.now();
      await wd.newSession(DESKTOP);
      const sessionAt = performance.timeOrigin + performance.now();
      await setScriptTimeout(wd, 15 * 60_000);
      const paintedAt = await waitFor("the dashboard's total", () => wd.run(paintedAtInPage, [MARK]), 60_000, 20);
      const timeline = await wd.run(pageTimelineInPage, []);
      const procs = memory(appPids());
      const app = procs.find((p) => p.name === "kura-desktop");
      const web = procs.find((p) => p.name.startsWith("WebKitWebProces"));
      // The driver's own share: from asking for the session to the app's exec.
      const execAt = startedAt(app.pid);
      const webAt = startedAt(web.pid);
      result.coldStart.push(paintedAt - t0);
      result.execToPaint.push(paintedAt - execAt);
      result.sessionReady.push(sessionAt - t0);
      result.webProcessAfterExec = [...(result.webProcessAfterExec ?? []), webAt - execAt];
      result.navigationAfterExec = [...(result.navigationAfterExec ?? []), timeline.navigationStart - execAt];
      result.navigationToPaint.push(paintedAt - timeline.navigationStart);
      console.log(
        `  run ${run}: new session → painted total ${ms(paintedAt - t0)}; kura-desktop's exec → painted ${ms(paintedAt - execAt)} ` +
          `(exec at ${ms(execAt - t0)}, web process at ${ms(webAt - t0)}, session ready ${ms(sessionAt - t0)}, ` +
          `navigation at ${ms(timeline.navigationStart - t0)}; navigation → paint ${ms(paintedAt - timeline.navigationStart)}: ${timeline.summary})`,
      );
      if (run === RUNS) {
        // Let the first overview refresh and the start-up sync attempt settle.
        await new Promise((r) => setTimeout(r, 1000));
        result.memory = { dashboard: await appMemory(appPids(), notApp, { quiet: true }) };
        result.openAccount = await wd.run(openAccountInPage, []);
        console.log(`  open the account → first rows painted: ${ms(result.openAccount)}`);
        result.memory.account = await appMemory(appPids(), notApp);
        // CPU per frame shows the headroom a slower machine would not have.
        const cpuBefore = cpuSeconds(appPids());
        result.scroll = frameStats(await wd.run(scrollInPage, [SCROLL_ROWS, SCROLL_STEP, ROW_HEIGHT]));
        const cpuAfter = cpuSeconds(appPids());
        result.scroll.cpuMsPerFrame = Object.fromEntries(
          Object.entries(cpuAfter)
            .filter(([name]) => !notApp.includes(name))
            .map(([name, s]) => [name, ((s - (cpuBefore[name] ?? 0)) * 1000) / result.scroll.frames]),
        );
        printFrames(`through ${SCROLL_ROWS} rows`, result.scroll);
        const cpu = Object.entries(result.scroll.cpuMsPerFrame).map(([n, v]) => `${n} ${v.toFixed(1)} ms`);
        console.log(`  CPU per frame while scrolling: ${cpu.join(", ")}`);
        result.memory.scrolled = await appMemory(appPids(), notApp);
        // What stays once the person stops: WebKit's and JavaScriptCore's idle collections run
        // within a few seconds.
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        result.memory.scrolledIdle = await appMemory(appPids(), notApp, { quiet: true });
        result.search = await wd.run(searchInPage, [SEARCH]);
        console.log(`  search ${SEARCH} → first results painted: ${ms(result.search.ms)} (incl. the 200 ms typing debounce); first row ${result.search.first}`);
        result.memory.searched = await appMemory(appPids(), notApp);
        result.openBooks = {
          fromAccount: await wd.run(openBooksInPage, ["家計簿"]),
          fromDashboard: await wd.run(openBooksInPage, ["家計簿", "ホーム"]),
        };
        console.log(`  open 家計簿 → the month's totals painted: from the account ${ms(result.openBooks.fromAccount)}, from the dashboard ${ms(result.openBooks.fromDashboard)}`);
        for (const [k, v] of Object.entries(result.memory)) printMemory(`after ${k}`, v);
        result.largestMappings = {};
        for (const p of memory(appPids()).filter((p) => !notApp.includes(p.name))) {
          const top = largestMappings(p.pid);
          result.largestMappings[p.name] = top;
          console.log(`  ${p.name}'s largest mappings (PSS): ${top.map((m) => `${m.file.split("/").pop()} ${m.pssMiB.toFixed(1)}`).join(", ")}`);
        }
      }
      await wd.endSession();
      await waitFor("the app to end", () => !memory(appPids()).some((p) => p.name === "kura-desktop"), 30_000, 100);
    }
    if (FLOOR) {
      // Under the same driver, so WebKitWebDriver shares WebKitGTK's pages with it as with Kura.
      await wd.newSession(FLOOR);
      await new Promise((r) => setTimeout(r, 1000));
      result.floor = await appMemory(appPids(), notApp, { quiet: true });
      result.floorMappings = {};
      for (const p of memory(appPids()).filter((p) => !notApp.includes(p.name))) {
        const top = largestMappings(p.pid);
        result.floorMappings[p.name] = top;
        console.log(`  the floor's ${p.name}'s largest mappings (PSS): ${top.map((m) => `${m.file.split("/").pop()} ${m.pssMiB.toFixed(1)}`).join(", ")}`);
      }
      await wd.endSession();
      await waitFor("the floor to end", () => !memory(appPids()).some((p) => p.name === "floor"), 30_000, 100);
      printMemory("of the floor (a Tauri window with one static page)", result.floor);
      result.overFloor = Object.fromEntries(
        Object.entries(result.memory ?? {}).map(([k, v]) => [k, { pssMiB: v.pssMiB - result.floor.pssMiB, ussMiB: v.ussMiB - result.floor.ussMiB }]),
      );
      for (const [k, v] of Object.entries(result.overFloor)) {
        console.log(`  Kura adds after ${k}: PSS ${mib(v.pssMiB)}, USS ${mib(v.ussMiB)} over the floor`);
      }
    }
  } finally {
    await stop(driver);
    await stop(xvfb);
  }
  const range = (xs) => `${ms(median(xs))} (min ${ms(Math.min(...xs))}, max ${ms(Math.max(...xs))})`;
  console.log(`  cold start median: new session → paint ${range(result.coldStart)}; exec → paint ${range(result.execToPaint)}`);
  return result;
}

const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  memGiB: totalmem() / 2 ** 30,
  loadAtStart: loadavg(),
  date: new Date().toISOString(),
};
console.log(`machine: ${machine.cpus} × ${machine.cpu}, ${machine.memGiB.toFixed(0)} GiB; load average ${machine.loadAtStart.map((l) => l.toFixed(2)).join(" ")}`);
const results = { machine, data: DATA };
try {
  if (process.env.KURA_BENCH_ONLY !== "desktop") results.chromium = await benchChromium();
  if (DESKTOP && process.env.KURA_BENCH_ONLY !== "chromium") results.desktop = await benchDesktop();
  results.machine.loadAtEnd = loadavg();
  if (process.env.KURA_BENCH_OUT) writeFileSync(process.env.KURA_BENCH_OUT, JSON.stringify(results, null, 2));
} finally {
  try {
    // WebKit's document portal may still be unmounting under the temporary cache dir.
    rmSync(work, { recursive: true, force: true, maxRetries: 40, retryDelay: 500 });
  } catch (e) {
    console.warn(`could not remove ${work}: ${e.message}`);
  }
}
