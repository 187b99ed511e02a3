import { describe, expect, it } from "vitest";
import { CommandError, TOKEN_HEADER, makeCall, tokenFromHash } from "./transport";

function fakeFetch(status: number, body: unknown, seen: { url?: string; init?: RequestInit }[] = []) {
  return (async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  }) as unknown as typeof fetch;
}

describe("transport", () => {
  it("reads the session token from the URL fragment", () => {
    expect(tokenFromHash("#token=abc123")).toBe("abc123");
    expect(tokenFromHash("")).toBeNull();
  });

  it("posts to /api/{command} with the token header", async () => {
    const seen: { url?: string; init?: RequestInit }[] = [];
    const call = makeCall({ fetch: fakeFetch(200, { institutions: [] }, seen), token: "t0k" });
    await expect(call("institutionsSearch", { query: "北央" })).resolves.toEqual({ institutions: [] });
    expect(seen[0].url).toBe("/api/institutionsSearch");
    expect(seen[0].init?.method).toBe("POST");
    expect((seen[0].init?.headers as Record<string, string>)[TOKEN_HEADER]).toBe("t0k");
    expect(seen[0].init?.body).toBe(JSON.stringify({ query: "北央" }));
  });

  it("turns a typed failure into a CommandError", async () => {
    const failure = { kind: "notFound", message: "no account with id 9", hint: null };
    const call = makeCall({ fetch: fakeFetch(404, failure), token: "t" });
    const err = await call("balanceSeries", { accountId: 9, from: null, to: null }).catch((e) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect(err.failure).toEqual(failure);
  });

  it("reports an unreachable kura serve as its own kind, not as the union's network", async () => {
    const call = makeCall({
      fetch: (async () => {
        throw new TypeError("Failed to fetch");
      }) as unknown as typeof fetch,
      token: "t",
    });
    const err = await call("linksList", {}).catch((e) => e);
    expect(err.failure.kind).toBe("kuraUnreachable");
  });

  it("uses Tauri's invoke when inside the desktop app", async () => {
    const calls: unknown[] = [];
    const call = makeCall({
      tauri: {
        invoke: async (cmd, args) => {
          calls.push([cmd, args]);
          return { links: [] };
        },
      },
      fetch: fakeFetch(500, null),
      token: null,
    });
    await expect(call("linksList", {})).resolves.toEqual({ links: [] });
    expect(calls).toEqual([["invoke_command", { name: "linksList", args: {} }]]);
  });

  it("passes a rejected Tauri failure through typed", async () => {
    const failure = { kind: "reauthRequired", message: "consent expired", hint: "re-link" };
    const call = makeCall({
      tauri: { invoke: async () => Promise.reject(failure) },
      fetch: fakeFetch(500, null),
      token: null,
    });
    const err = await call("linksList", {}).catch((e) => e);
    expect(err.failure).toEqual(failure);
  });
});
