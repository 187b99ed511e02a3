import { describe, expect, it } from "vitest";
import type { LinkItem, MemberItem, MemberShare } from "../bindings/commands";
import { PALETTE, colourKey, effectiveScope, isShared, linkOutcome, linksAtUnion, nameList, nextColour, removal, shareSlices } from "./household";
import { catalogKeys } from "./i18n";

const member = (id: number, name: string, linkCount = 1): MemberItem => ({ id, name, colour: PALETTE[id - 1], linkCount, accountCount: linkCount * 2 });
const share = (id: number, total: number, percent: number | null = null): MemberShare => ({ id, name: `m${id}`, colour: PALETTE[id - 1], total, percent });

describe("the household's view", () => {
  it("is shared (switcher, shares, marks) from two members on", () => {
    expect(isShared([])).toBe(false);
    expect(isShared([member(1, "わたし")])).toBe(false);
    expect(isShared([member(1, "わたし"), member(2, "花子")])).toBe(true);
  });
  it("narrows to the chosen member while they are one, else shows the whole household", () => {
    const two = [member(1, "わたし"), member(2, "花子")];
    expect(effectiveScope(two, null)).toBeNull();
    expect(effectiveScope(two, 2)).toBe(2);
    // Removed meanwhile, or the household is one person again: the whole household.
    expect(effectiveScope(two, 3)).toBeNull();
    expect(effectiveScope([member(1, "わたし")], 1)).toBeNull();
  });
});

describe("colours", () => {
  it("offers the first colour no member has, as the core does", () => {
    expect(nextColour([])).toBe("#2f6fb0");
    expect(nextColour(["#2f6fb0", "#4F9A55"])).toBe("#c0504d");
    expect(nextColour([...PALETTE])).toBe(PALETTE[0]);
  });
  it("names every palette colour in both languages", () => {
    const keys = new Set(catalogKeys("ja"));
    for (const c of PALETTE) expect(keys.has(colourKey(c)!)).toBe(true);
    expect(colourKey("#2F6FB0")).toBe("household.colour.0");
    expect(colourKey("#123456")).toBeNull();
  });
});

describe("shares of the household total", () => {
  it("add up to exactly 100 where the core's own rounding would not", () => {
    // 50.5% and 49.5%: the core rounds each half up (51 + 50).
    const slices = shareSlices([share(1, 1010, 51), share(2, 990, 50)]);
    expect(slices.map((s) => s.percent)).toEqual([51, 49]);
    const thirds = shareSlices([share(1, 100, 33), share(2, 100, 33), share(3, 100, 33)]);
    expect(thirds.map((s) => s.percent)).toEqual([34, 33, 33]);
    expect(thirds.reduce((sum, s) => sum + s.width, 0)).toBeCloseTo(100);
  });
  it("gives a member without money 0% and no room in the bar", () => {
    const slices = shareSlices([share(1, 5000, 100), share(2, 0, 0)]);
    expect(slices.map((s) => [s.percent, s.width])).toEqual([
      [100, 100],
      [0, 0],
    ]);
  });
  it("keeps the core's figures when a member is in the red or there is nothing at all", () => {
    const red = shareSlices([share(1, 3000, 150), share(2, -1000, 0)]);
    expect(red.map((s) => s.percent)).toEqual([150, 0]);
    expect(red.map((s) => s.width)).toEqual([100, 0]);
    const none = shareSlices([share(1, 0, null), share(2, 0, null)]);
    expect(none.map((s) => [s.percent, s.width])).toEqual([
      [null, 0],
      [null, 0],
    ]);
  });
  it("keeps the members' order, names and totals", () => {
    const [a, b] = shareSlices([share(2, 700, 70), share(1, 300, 30)]);
    expect([a.id, a.name, a.total, b.id, b.total]).toEqual([2, "m2", 700, 1, 300]);
  });
});

describe("removing a member", () => {
  const me = member(1, "わたし", 2);
  const hanako = member(2, "花子", 1);
  const taro = member(3, "太郎", 0);
  it("is refused for the last member", () => {
    expect(removal([me], me)).toEqual({ allowed: false, heirs: [], chooseHeir: false });
  });
  it("hands the links to the only other member without asking", () => {
    expect(removal([me, hanako], hanako)).toEqual({ allowed: true, heirs: [me], chooseHeir: false });
  });
  it("asks who takes the links over when two or more could", () => {
    const r = removal([me, hanako, taro], me);
    expect(r.heirs.map((m) => m.name)).toEqual(["花子", "太郎"]);
    expect(r.chooseHeir).toBe(true);
    // Nothing to hand over: nothing to ask.
    expect(removal([me, hanako, taro], taro).chooseHeir).toBe(false);
  });
});

describe("linking in a household", () => {
  const link = (id: number, bankCode: string, memberId: number, status: LinkItem["status"] = "active") =>
    ({ id, bankCode, bankName: "北央信用組合", profile: "sandbox", memberId, status }) as LinkItem;
  it("knows the union's links that still hold a consent", () => {
    const links = [link(1, "2011", 1), link(2, "2680", 1), link(3, "2011", 2, "revoked"), link(4, "2011", 2, "reauthRequired")];
    expect(linksAtUnion(links, "2011").map((l) => l.id)).toEqual([1, 4]);
    expect(linksAtUnion(links, "2254")).toEqual([]);
  });
  it("says whether a link was renewed or added, and whose, once there are several", () => {
    expect(linkOutcome(false, false, "北央信用組合", null)).toEqual({ key: "link.done", vars: { bank: "北央信用組合" } });
    expect(linkOutcome(true, false, "北央信用組合", null)).toEqual({ key: "link.renewed", vars: { bank: "北央信用組合" } });
    expect(linkOutcome(false, true, "北央信用組合", "花子")).toEqual({ key: "link.addedFor", vars: { bank: "北央信用組合", member: "花子" } });
    expect(linkOutcome(true, true, "北央信用組合", "花子")).toEqual({ key: "link.renewedFor", vars: { bank: "北央信用組合", member: "花子" } });
  });
  it("lists names the language's way", () => {
    expect(nameList(["わたし", "花子"], "ja")).toBe("「わたし」、「花子」");
    expect(nameList(["Me", "Hanako"], "en")).toBe("“Me”, “Hanako”");
  });
});
