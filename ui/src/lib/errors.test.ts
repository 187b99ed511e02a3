import { describe, expect, it } from "vitest";
import type { SyncErrorKind } from "../bindings/commands";
import { FAILURE_KINDS, SYNC_ERROR_KINDS, explainFailure, explainSyncProblem, isUnreachable } from "./errors";
import { translate, type Language } from "./i18n";
import type { FailureKind } from "./transport";

const LANGS: Language[] = ["ja", "en"];
const hasJapanese = (s: string) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(s);

describe("command failures", () => {
  it.each(FAILURE_KINDS)("%s has a headline and advice in both languages", (kind) => {
    const e = explainFailure({ kind, message: "core message", hint: null, subject: "食費" });
    for (const lang of LANGS) {
      const title = translate(lang, e.title, e.vars);
      const action = translate(lang, e.action, e.vars);
      expect(title.length).toBeGreaterThan(0);
      expect(action.length).toBeGreaterThan(title.length / 2);
      expect(hasJapanese(title) && hasJapanese(action)).toBe(lang === "ja");
    }
    expect(e.title).not.toBe("error.generic");
  });

  it("keeps the core's message and hint as the detail", () => {
    const e = explainFailure({ kind: "keyring", message: "Secret Service is locked", hint: "unlock it" });
    expect(e.detail).toBe("Secret Service is locked\nunlock it");
    expect(translate("ja", e.title)).toBe("OS の資格情報ストアを使えません");
  });

  it("falls back to the generic text for a kind this UI does not know", () => {
    const e = explainFailure({ kind: "fromANewerCore" as FailureKind, message: "new thing", hint: null });
    expect([e.title, e.action]).toEqual(["error.generic", "error.generic.do"]);
    expect(e.detail).toBe("new thing");
  });
});

describe("the books' refusals", () => {
  it("shows a regular expression's error as it is, under the headline", () => {
    const e = explainFailure({ kind: "invalidPattern", message: "m", hint: null, subject: "regex parse error:\n    (\n    ^\nerror: unclosed group" });
    expect(e.shown).toContain("unclosed group");
    expect(translate("ja", e.title, e.vars)).toBe("正規表現として読めません");
  });
  it("names the category or the names a rules file lacks in the headline", () => {
    const taken = explainFailure({ kind: "categoryNameTaken", message: "m", hint: null, subject: "外食" });
    expect(taken.shown).toBeNull();
    expect(translate("ja", taken.title, taken.vars)).toBe("「外食」という名前は既にあります");
    expect(translate("en", taken.title, taken.vars)).toBe('There is already a category named "外食"');
    const unknown = explainFailure({ kind: "rulesFileUnknown", message: "m", hint: null, subject: "ペット, 旅行" });
    expect(translate("ja", unknown.title, unknown.vars)).toContain("ペット, 旅行");
  });
  it("copes with a failure that names nothing", () => {
    const e = explainFailure({ kind: "categoryName", message: "m", hint: null, subject: null });
    expect(e.shown).toBeNull();
    expect(translate("en", e.title, e.vars)).toBe("This name cannot be used");
    const old = explainFailure({ kind: "invalidPattern", message: "m", hint: null });
    expect(old.shown).toBeNull();
  });
});

describe("sync problems", () => {
  it.each(SYNC_ERROR_KINDS)("%s has a headline and advice in both languages", (kind) => {
    const e = explainSyncProblem({ kind, httpStatus: 500, message: "m" });
    for (const lang of LANGS) {
      const title = translate(lang, e.title, e.vars);
      const action = translate(lang, e.action, e.vars);
      expect(title).not.toMatch(/\{\w+\}/);
      expect(action.length).toBeGreaterThan(0);
      expect(hasJapanese(title) && hasJapanese(action)).toBe(lang === "ja");
    }
  });

  it("names the HTTP status and keeps the raw message as the detail", () => {
    const e = explainSyncProblem({ kind: "http", httpStatus: 502, message: "https://bank/v1 answered HTTP 502" });
    expect(translate("ja", e.title, e.vars)).toBe("組合のサーバーがエラーを返しました（HTTP 502）");
    expect(translate("en", e.title, e.vars)).toBe("The union's server returned an error (HTTP 502)");
    expect(e.detail).toBe("HTTP 502: https://bank/v1 answered HTTP 502");
  });

  it("tells an offline sync apart from a consent problem", () => {
    const offline = explainSyncProblem({ kind: "network", httpStatus: null, message: "could not reach" });
    expect(translate("ja", offline.action)).toContain("ネットワーク接続");
    const reauth = explainSyncProblem({ kind: "reauthRequired", httpStatus: null, message: "invalid_grant" });
    expect(translate("ja", reauth.action)).toContain("再認証");
  });

  it("falls back to the generic sync text for an unknown kind", () => {
    const e = explainSyncProblem({ kind: "fromANewerCore" as SyncErrorKind, httpStatus: null, message: "x" });
    expect([e.title, e.action]).toEqual(["syncError.other", "syncError.other.do"]);
    expect(e.detail).toBe("x");
  });
});

describe("offline", () => {
  it("is a network failure or a timeout, nothing else", () => {
    expect(SYNC_ERROR_KINDS.filter(isUnreachable)).toEqual(["network", "timeout"]);
  });
});
