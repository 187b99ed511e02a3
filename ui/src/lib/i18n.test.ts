import { describe, expect, it } from "vitest";
import { catalogKeys, translate } from "./i18n";

describe("i18n", () => {
  it("has every key in both languages", () => {
    expect(catalogKeys("en").sort()).toEqual(catalogKeys("ja").sort());
  });
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("ja", "links.consentIn", { days: 12 })).toBe("あと 12 日");
    expect(translate("en", "links.consentIn", { days: 12 })).toBe("in 12 days");
    expect(translate("en", "links.consentIn")).toBe("in {days} days");
    expect(translate("ja", "account.rows", { count: 1000000 })).toBe("1,000,000 件");
    expect(translate("en", "account.rowsMore", { count: 3000 })).toBe("3,000+ rows");
  });
  it("is Japanese first", () => {
    expect(translate("ja", "firstRun.demo")).toBe("デモを試す");
    expect(translate("en", "firstRun.demo")).toBe("Try the demo");
  });
});
