// The link flow's progress: the browser is open on the union's login page; Kura waits for the
// consent to come back through the loopback redirect.

import { useEffect, useRef, useState } from "react";
import { ErrorPanel, toFailure } from "../components";
import { useLocale } from "../context";
import { call, type Failure } from "../lib/transport";

type Phase =
  | { name: "starting" }
  | { name: "waiting"; url: string }
  | { name: "linked" }
  | { name: "failed"; failure: Failure };

/** How often the UI asks whether the browser came back. */
const POLL_MS = 800;

export function LinkFlow(props: { bankCode: string; bankName: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useLocale();
  const [phase, setPhase] = useState<Phase>({ name: "starting" });
  const [attempt, setAttempt] = useState(0);
  const done = useRef(props.onDone);
  done.current = props.onDone;

  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    setPhase({ name: "starting" });
    call("linkStart", { bankCode: props.bankCode })
      .then((started) => {
        if (stopped) return;
        setPhase({ name: "waiting", url: started.authorizationUrl });
        const poll = async () => {
          try {
            const status = await call("linkStatus", { attemptId: started.attemptId });
            if (stopped) return;
            if (status.state === "linked") {
              setPhase({ name: "linked" });
              done.current();
            } else if (status.state === "failed") {
              setPhase({ name: "failed", failure: status.error });
            } else {
              timer = window.setTimeout(poll, POLL_MS);
            }
          } catch (e) {
            if (!stopped) setPhase({ name: "failed", failure: toFailure(e) });
          }
        };
        timer = window.setTimeout(poll, POLL_MS);
      })
      .catch((e) => !stopped && setPhase({ name: "failed", failure: toFailure(e) }));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [props.bankCode, attempt]);

  return (
    <section className="card link-flow" aria-live="polite">
      {(phase.name === "starting" || phase.name === "waiting") && (
        <>
          <div className="spinner" aria-hidden="true" />
          <p className="lead">{t("link.waiting", { bank: props.bankName })}</p>
          {phase.name === "waiting" && (
            <p className="small">
              {t("link.openManually")}:{" "}
              <a href={phase.url} target="_blank" rel="noopener noreferrer" data-testid="authorization-url">
                {new URL(phase.url).host}
              </a>
            </p>
          )}
          <button type="button" className="secondary" onClick={props.onCancel}>
            {t("link.cancel")}
          </button>
        </>
      )}
      {phase.name === "linked" && <p className="lead">{t("link.done", { bank: props.bankName })}</p>}
      {phase.name === "failed" && (
        <>
          <ErrorPanel failure={phase.failure} title={t("link.failed")} />
          <div className="row">
            <button type="button" onClick={() => setAttempt((n) => n + 1)}>
              {t("link.retry")}
            </button>
            <button type="button" className="secondary" onClick={props.onCancel}>
              {t("link.cancel")}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
