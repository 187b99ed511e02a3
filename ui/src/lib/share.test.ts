import { describe, expect, it } from "vitest";
import type { ShareSyncReport } from "../bindings/commands";
import { explainFailure } from "./errors";
import { catalogKeys, translate } from "./i18n";
import { CODE_LENGTH, PROBLEM_KINDS, ago, codeGroups, normalizeCode, peerLinkNames, problemKey, shareFailure, syncSummary } from "./share";

const CODE = "7Q2M-K9TD-ZB4N-HX0R-3W8F-VA5E-1C";

describe("normalizeCode", () => {
  it("keeps a code as shown", () => {
    expect(normalizeCode(CODE)).toBe(CODE);
  });
  it("reads it however it is typed, as the core does", () => {
    expect(normalizeCode(CODE.toLowerCase())).toBe(CODE);
    expect(normalizeCode(CODE.replaceAll("-", ""))).toBe(CODE);
    expect(normalizeCode(`  ${CODE.replaceAll("-", " ")} `)).toBe(CODE);
    // The letters Crockford's alphabet leaves out read as the digits they look like.
    expect(normalizeCode(CODE.replace("0", "O").replace("1", "l"))).toBe(CODE);
    expect(normalizeCode(CODE.replace("1", "I"))).toBe(CODE);
    // Full width from a Japanese IME, long-vowel marks for dashes.
    const wide = CODE.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replaceAll("-", "ー");
    expect(normalizeCode(wide)).toBe(CODE);
  });
  it("refuses what cannot be a code", () => {
    expect(normalizeCode("")).toBeNull();
    expect(normalizeCode(CODE.slice(0, -1))).toBeNull();
    expect(normalizeCode(`${CODE}A`)).toBeNull();
    expect(normalizeCode(CODE.replace("7", "U"))).toBeNull();
    expect(normalizeCode(CODE.replace("7", "#"))).toBeNull();
  });
  it("has 26 characters in seven groups", () => {
    expect(CODE_LENGTH).toBe(26);
    expect(codeGroups(CODE)).toEqual(["7Q2M", "K9TD", "ZB4N", "HX0R", "3W8F", "VA5E", "1C"]);
    expect(codeGroups(CODE.replaceAll("-", ""))).toEqual(codeGroups(CODE));
  });
});

describe("ago", () => {
  const now = new Date("2026-12-06T03:00:00Z");
  const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
  it("says the largest whole unit", () => {
    expect(ago(at(0), now)).toEqual({ key: "share.ago.now", vars: {} });
    expect(ago(at(59_999), now).key).toBe("share.ago.now");
    expect(ago(at(60_000), now)).toEqual({ key: "share.ago.minutes", vars: { count: 1 } });
    expect(ago(at(59 * 60_000 + 59_000), now)).toEqual({ key: "share.ago.minutes", vars: { count: 59 } });
    expect(ago(at(3_600_000), now)).toEqual({ key: "share.ago.hour", vars: { count: 1 } });
    expect(ago(at(5 * 3_600_000 + 1), now)).toEqual({ key: "share.ago.hours", vars: { count: 5 } });
    expect(ago(at(86_400_000), now)).toEqual({ key: "share.ago.day", vars: { count: 1 } });
    expect(ago(at(3 * 86_400_000), now)).toEqual({ key: "share.ago.days", vars: { count: 3 } });
  });
  it("takes another desktop's clock running ahead as just now", () => {
    expect(ago(at(-120_000), now).key).toBe("share.ago.now");
  });
  it("reads in both languages", () => {
    const said = ago(at(2 * 3_600_000), now);
    expect(translate("ja", said.key, said.vars)).toBe("2 時間前");
    expect(translate("en", said.key, said.vars)).toBe("2 hours ago");
    const one = ago(at(86_400_000), now);
    expect(translate("en", one.key, one.vars)).toBe("a day ago");
  });
});

describe("peerLinkNames", () => {
  const links = [
    { id: 1, bankName: "北央信用組合" },
    { id: 4, bankName: "南都信用組合" },
  ];
  it("names each link by its union, in the core's order", () => {
    expect(peerLinkNames({ links: [4, 1] }, links)).toEqual(["南都信用組合", "北央信用組合"]);
    expect(peerLinkNames({ links: [] }, links)).toEqual([]);
  });
  it("keeps a link not known here by its number", () => {
    expect(peerLinkNames({ links: [9] }, links)).toEqual(["#9"]);
  });
});

describe("syncSummary", () => {
  const report = (r: Partial<ShareSyncReport>): ShareSyncReport => ({ written: null, applied: 0, lines: 0, edits: 0, skipped: 0, ...r });
  it("says how many lines and edits arrived", () => {
    const s = syncSummary(report({ applied: 2, lines: 1234, edits: 3 }), true);
    expect(s.key).toBe("share.joined");
    expect(translate("ja", s.key, s.vars)).toBe("共有に参加しました。明細 1,234 件と編集 3 件が届きました。");
    expect(syncSummary(report({ applied: 1, lines: 5 }), false).key).toBe("share.synced");
  });
  it("says when nothing came yet", () => {
    expect(syncSummary(report({ written: 3 }), false).key).toBe("share.synced.nothing");
    expect(syncSummary(report({ skipped: 1 }), true).key).toBe("share.joined.nothing");
  });
});

describe("problemKey", () => {
  it("has plain words for every kind the core names", () => {
    expect(PROBLEM_KINDS.sort()).toEqual(["incomplete", "misplaced", "newer", "notKura", "otherHousehold", "unreadable", "wrongKey"]);
    const keys = new Set(catalogKeys("ja"));
    for (const kind of PROBLEM_KINDS) expect(keys.has(problemKey(kind))).toBe(true);
    expect(translate("ja", problemKey("wrongKey"))).toContain("鍵で開けません");
  });
  it("reads a kind from a newer core as unreadable", () => {
    expect(problemKey("fromTheFuture")).toBe("share.problem.unreadable");
  });
});

describe("shareFailure", () => {
  const wrongCode = { kind: "invalid" as const, message: "That pairing code does not open the household in /tmp/x.", hint: null };
  it("says what a refused join means here, keeping the core's words as the detail", () => {
    const e = shareFailure(wrongCode, "join", explainFailure(wrongCode));
    expect(e.title).toBe("share.error.join");
    expect(e.action).toBe("share.error.join.do");
    expect(e.detail).toBe(wrongCode.message);
  });
  it("says what a refused start means", () => {
    const taken = { kind: "invalid" as const, message: "/tmp/x already holds a household.", hint: null };
    expect(shareFailure(taken, "create", explainFailure(taken)).title).toBe("share.error.create");
  });
  it("takes storage as the shared folder, and leaves other kinds to the catalogue", () => {
    const io = { kind: "storage" as const, message: "Kura cannot read or write /x", hint: null };
    expect(shareFailure(io, "join", explainFailure(io)).title).toBe("share.error.folder");
    const keyring = { kind: "keyring" as const, message: "no keyring", hint: null };
    expect(shareFailure(keyring, "create", explainFailure(keyring))).toEqual(explainFailure(keyring));
  });
});
