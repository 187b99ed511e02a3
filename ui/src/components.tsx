// Small shared pieces: error panel.

import type { CommandFailure } from "./bindings/commands";
import { useLocale } from "./context";
import type { MessageKey } from "./lib/i18n";
import { CommandError } from "./lib/transport";

const HEADLINES: Partial<Record<CommandFailure["kind"], MessageKey>> = {
  network: "error.network",
  reauthRequired: "error.reauthRequired",
  accessDenied: "error.accessDenied",
  timedOut: "error.timedOut",
  keyring: "error.keyring",
  config: "error.config",
  storage: "error.storage",
  remote: "error.remote",
};

export function toFailure(e: unknown): CommandFailure {
  if (e instanceof CommandError) return e.failure;
  return { kind: "remote", message: String(e), hint: null };
}

export function ErrorPanel({ failure, title }: { failure: CommandFailure; title?: string }) {
  const { t } = useLocale();
  return (
    <div className="error-panel" role="alert">
      <strong>{title ?? t(HEADLINES[failure.kind] ?? "error.generic")}</strong>
      <p>{failure.message}</p>
      {failure.hint && <p className="hint">{failure.hint}</p>}
    </div>
  );
}
