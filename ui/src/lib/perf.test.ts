import { afterEach, describe, expect, it, vi } from "vitest";
import { markPainted } from "./perf";

describe("markPainted", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    performance.clearMarks();
  });

  it("marks on the second animation frame, once", () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => frames.push(cb));
    const runFrame = () => frames.splice(0).forEach((cb) => cb(0));

    markPainted("kura:test");
    markPainted("kura:test"); // a re-render before the paint
    runFrame();
    expect(performance.getEntriesByName("kura:test", "mark")).toHaveLength(0);
    runFrame();
    expect(performance.getEntriesByName("kura:test", "mark")).toHaveLength(1);

    markPainted("kura:test"); // a later refresh does not move it
    runFrame();
    runFrame();
    expect(performance.getEntriesByName("kura:test", "mark")).toHaveLength(1);
  });
});
