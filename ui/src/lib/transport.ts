// One `call()` for both shells: Tauri IPC inside the desktop app, HTTP to `kura serve` in a
// browser. Request and response types come from the generated bindings.

import type { CommandFailure, CommandName, Commands, ErrorKind } from "../bindings/commands";

/** The core's error kinds, plus the one only the browser sees: `kura serve` itself is gone. */
export type FailureKind = ErrorKind | "kuraUnreachable";

/**
 * A failure as the UI handles it. `subject` (the name or words the failure is about) comes from
 * the core; failures the UI itself makes (the transport's) have none.
 */
export type Failure = Omit<CommandFailure, "kind" | "subject"> & { kind: FailureKind; subject?: string | null };

/** A command's failure, carrying the typed `{kind, message, hint}` from the core. */
export class CommandError extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.message);
    this.name = "CommandError";
    this.failure = failure;
  }
}

type Invoke = (cmd: string, args?: Record<string, unknown>) => Promise<unknown>;

interface TauriInternals {
  invoke: Invoke;
}

declare global {
  interface Window {
    __TAURI_INTERNALS__?: TauriInternals;
  }
}

export const TOKEN_HEADER = "X-Kura-Token";

/** The session token `kura serve` put in the URL fragment (#token=…); fragments never reach a server log. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  return params.get("token");
}

export function isFailure(value: unknown): value is CommandFailure {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as CommandFailure).kind === "string" &&
    typeof (value as CommandFailure).message === "string"
  );
}

export interface TransportDeps {
  tauri?: TauriInternals;
  fetch: typeof fetch;
  token: string | null;
}

/** Builds `call` over whichever transport is present. */
export function makeCall(deps: TransportDeps) {
  return async function call<K extends CommandName>(
    name: K,
    request: Commands[K]["request"],
  ): Promise<Commands[K]["response"]> {
    if (deps.tauri) {
      try {
        return (await deps.tauri.invoke("invoke_command", { name, args: request })) as Commands[K]["response"];
      } catch (e) {
        throw isFailure(e) ? new CommandError(e) : new CommandError({ kind: "badRequest", message: String(e), hint: null });
      }
    }
    let response: Response;
    try {
      response = await deps.fetch(`/api/${name}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", [TOKEN_HEADER]: deps.token ?? "" },
        body: JSON.stringify(request),
      });
    } catch (e) {
      throw new CommandError({
        kind: "kuraUnreachable",
        message: `Kura (kura serve) is not reachable: ${String(e)}`,
        hint: "Start `kura serve` again and reload this page.",
      });
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.ok) return body as Commands[K]["response"];
    if (isFailure(body)) throw new CommandError(body);
    throw new CommandError({ kind: "badRequest", message: `HTTP ${response.status} from kura serve`, hint: null });
  };
}

export type Call = ReturnType<typeof makeCall>;

/** The desktop shell's IPC, when the UI runs in the Tauri window; undefined in a browser. */
const shell = (): TauriInternals | undefined => (typeof window !== "undefined" ? window.__TAURI_INTERNALS__ : undefined);

/** Whether the UI runs in the desktop app (with its OS dialogs) rather than in a browser. */
export const inDesktopApp = (): boolean => shell() !== undefined;

export const call: Call = makeCall({
  tauri: shell(),
  fetch: (...args) => fetch(...args),
  token: typeof window !== "undefined" ? tokenFromHash(window.location.hash) : null,
});

/** A file type offered in the OS save dialog. */
export interface SaveFilter {
  name: string;
  extensions: string[];
}

/**
 * Inside the desktop app: the OS save dialog (the shell's `pick_save_path`); the chosen path, or
 * null when cancelled. In a browser there is no dialog for a path on disk: `undefined`, and the
 * core writes to the Downloads folder.
 */
export async function pickSavePath(title: string, defaultFileName: string, filters: SaveFilter[]): Promise<string | null | undefined> {
  const tauri = shell();
  if (!tauri) return undefined;
  const choice = (await tauri.invoke("pick_save_path", { request: { title, defaultFileName, filters } })) as { path: string | null };
  return choice.path;
}

/**
 * Inside the desktop app: the OS folder dialog (the shell's `pick_folder`); the chosen folder, or
 * null when cancelled. In a browser there is no such dialog: `undefined`, and the folder is typed.
 */
export async function pickFolder(title: string): Promise<string | null | undefined> {
  const tauri = shell();
  if (!tauri) return undefined;
  const choice = (await tauri.invoke("pick_folder", { request: { title } })) as { path: string | null };
  return choice.path;
}
