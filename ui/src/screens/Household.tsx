// Settings → 世帯: the household's members (name, colour, their links and accounts), adding,
// renaming, recolouring and removing one (who takes over their links), and whose each link is.

import { useEffect, useId, useState } from "react";
import type { LinkItem, MemberItem, MembersResponse } from "../bindings/commands";
import { ErrorPanel, MemberDot, memberStyle, toFailure } from "../components";
import { useHousehold, useLocale } from "../context";
import { PALETTE, colourKey, nextColour, removal } from "../lib/household";
import { call } from "../lib/transport";

type Editing = { id: number; what: "name" | "colour" | "remove" } | null;

export function Household() {
  const { t } = useLocale();
  const { members, setMembers, member } = useHousehold();
  const [links, setLinks] = useState<LinkItem[]>([]);
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const loadLinks = () => call("linksList", {}).then((r) => setLinks(r.links), setError);
  useEffect(() => {
    void loadLinks();
  }, []);

  /** Runs a household command: the members it answers replace the shown ones; `said` on success. */
  const run = async (command: () => Promise<MembersResponse>, said: (members: MemberItem[]) => string) => {
    setError(null);
    setNotice(null);
    try {
      const r = await command();
      setMembers(r.members);
      setNotice(said(r.members));
      setEditing(null);
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };

  const shared = members.length >= 2;
  return (
    <section className="card settings household" aria-labelledby="household-title" data-testid="household">
      <h2 id="household-title">{t("household.title")}</h2>
      <p className="small lead-text">{t("household.lead")}</p>
      <ul className="member-list" aria-label={t("household.members")}>
        {members.map((m) => (
          <MemberRow
            key={m.id}
            member={m}
            members={members}
            editing={editing?.id === m.id ? editing.what : null}
            onEdit={(what) => {
              setError(null);
              setNotice(null);
              setEditing(what === null ? null : { id: m.id, what });
            }}
            onRename={(name) => run(() => call("memberUpdate", { id: m.id, name }), () => t("household.renamed", { name: name.trim() }))}
            onRecolour={(colour) => run(() => call("memberUpdate", { id: m.id, colour }), () => t("household.recoloured", { name: m.name }))}
            onRemove={async (heirId) => {
              const heir = member(heirId ?? null) ?? removal(members, m).heirs[0];
              const done = await run(
                () => call("memberRemove", heirId === null ? { id: m.id } : { id: m.id, heirId }),
                () => (m.linkCount > 0 && heir ? t("household.removedTo", { name: m.name, heir: heir.name }) : t("household.removed", { name: m.name })),
              );
              if (done) void loadLinks();
            }}
          />
        ))}
      </ul>
      {!shared && <p className="small">{t("household.single")}</p>}
      {notice && (
        <p className="banner info" role="status" data-testid="household-notice">
          {notice}
        </p>
      )}
      {error ? <ErrorPanel failure={toFailure(error)} /> : null}
      <AddMember
        members={members}
        onAdd={(name, colour) => run(() => call("memberAdd", { name, colour }), () => t("household.added", { name: name.trim() }))}
      />
      {shared && links.length > 0 && (
        <section className="link-owners" aria-labelledby="link-owners-title">
          <h3 id="link-owners-title">{t("household.links")}</h3>
          <small>{t("household.linksHelp")}</small>
          <ul className="owner-list">
            {links.map((l) => (
              <LinkOwner
                key={l.id}
                link={l}
                members={members}
                onAssign={async (memberId) => {
                  const to = member(memberId);
                  const done = await run(
                    () => call("linkAssign", { linkId: l.id, memberId }),
                    () => t("household.assigned", { bank: l.bankName, name: to?.name ?? "" }),
                  );
                  if (done) void loadLinks();
                }}
              />
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

function MemberRow({
  member: m,
  members,
  editing,
  onEdit,
  onRename,
  onRecolour,
  onRemove,
}: {
  member: MemberItem;
  members: MemberItem[];
  editing: "name" | "colour" | "remove" | null;
  onEdit: (what: "name" | "colour" | "remove" | null) => void;
  onRename: (name: string) => Promise<boolean>;
  onRecolour: (colour: string) => Promise<boolean>;
  onRemove: (heirId: number | null) => Promise<void>;
}) {
  const { t } = useLocale();
  const [name, setName] = useState(m.name);
  const gone = removal(members, m);
  const [heir, setHeir] = useState<number | null>(null);
  const toggle = (what: "name" | "colour" | "remove") => {
    if (what === "name") setName(m.name);
    if (what === "remove") setHeir(gone.heirs[0]?.id ?? null);
    onEdit(editing === what ? null : what);
  };
  return (
    <li className="member-row" style={memberStyle(m.colour)} data-testid="member" data-member-id={m.id}>
      <div className="member-line">
        <span className="member-swatch" aria-hidden="true" />
        <span className="member-label">
          <strong className="member-name">{m.name}</strong>
          <span className="small">{t("household.counts", { links: m.linkCount, accounts: m.accountCount })}</span>
        </span>
        <span className="member-buttons">
          <button type="button" className="secondary" aria-expanded={editing === "name"} onClick={() => toggle("name")}>
            {t("household.rename")}
          </button>
          <button type="button" className="secondary" aria-expanded={editing === "colour"} onClick={() => toggle("colour")}>
            {t("household.recolour")}
          </button>
          {gone.allowed && (
            <button type="button" className="secondary" aria-expanded={editing === "remove"} onClick={() => toggle("remove")}>
              {t("household.remove")}
            </button>
          )}
        </span>
      </div>
      {editing === "name" && (
        <form
          className="member-edit row end"
          onSubmit={(e) => {
            e.preventDefault();
            void onRename(name);
          }}
        >
          <label className="grow">
            <span>{t("household.nameFor", { name: m.name })}</span>
            <input type="text" value={name} maxLength={40} autoFocus onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="primary">
            {t("household.saveName")}
          </button>
          <button type="button" className="secondary" onClick={() => onEdit(null)}>
            {t("common.cancel")}
          </button>
        </form>
      )}
      {editing === "colour" && (
        <div className="member-edit">
          <Palette label={t("household.colourFor", { name: m.name })} value={m.colour} onChange={(c) => void onRecolour(c)} />
        </div>
      )}
      {editing === "remove" && (
        <div className="member-edit confirm" role="alertdialog" aria-label={t("household.removeTitle", { name: m.name })}>
          <p>
            <strong>{t("household.removeTitle", { name: m.name })}</strong> {t("household.removeKeeps")}
          </p>
          {gone.chooseHeir ? (
            <label>
              <span>{t("household.removeHeir", { name: m.name, count: m.linkCount })}</span>
              <select value={heir ?? ""} onChange={(e) => setHeir(Number(e.target.value))} data-testid="heir">
                {gone.heirs.map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            m.linkCount > 0 && <p>{t("household.removeHeirOnly", { name: m.name, count: m.linkCount, heir: gone.heirs[0].name })}</p>
          )}
          <div className="row">
            <button type="button" className="danger" onClick={() => void onRemove(gone.chooseHeir ? heir : null)}>
              {t("household.removeConfirm")}
            </button>
            <button type="button" className="secondary" onClick={() => onEdit(null)}>
              {t("common.cancel")}
            </button>
          </div>
        </div>
      )}
      {!gone.allowed && editing === null && <p className="small last-member">{t("household.lastMember")}</p>}
    </li>
  );
}

/** The palette's colours as a group of radio buttons (each named, for those who cannot see it). */
function Palette({ label, value, onChange }: { label: string; value: string; onChange: (colour: string) => void }) {
  const { t } = useLocale();
  const name = useId();
  return (
    <fieldset className="palette">
      <legend>{label}</legend>
      {PALETTE.map((c) => {
        const key = colourKey(c);
        const title = key ? t(key) : c;
        return (
          <label key={c} className="palette-swatch" style={memberStyle(c)} title={title}>
            <input type="radio" name={name} value={c} checked={value.toLowerCase() === c} onChange={() => onChange(c)} aria-label={title} />
            <span className="member-swatch" aria-hidden="true" />
          </label>
        );
      })}
    </fieldset>
  );
}

function AddMember({ members, onAdd }: { members: MemberItem[]; onAdd: (name: string, colour: string) => Promise<boolean> }) {
  const { t } = useLocale();
  const [name, setName] = useState("");
  const [colour, setColour] = useState<string | null>(null);
  // The colour the core would pick, until the person picks one.
  const shown = colour ?? nextColour(members.map((m) => m.colour));
  return (
    <form
      className="add-member"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await onAdd(name, shown)) {
          setName("");
          setColour(null);
        }
      }}
    >
      <h3>{t("household.addTitle")}</h3>
      <div className="row end">
        <label className="grow">
          <span>{t("household.name")}</span>
          <input
            type="text"
            value={name}
            maxLength={40}
            placeholder={t("household.namePlaceholder")}
            onChange={(e) => setName(e.target.value)}
            data-testid="member-name"
          />
        </label>
        <button type="submit" className="primary" disabled={name.trim() === ""}>
          {t("household.add")}
        </button>
      </div>
      <Palette label={t("household.colour")} value={shown} onChange={setColour} />
    </form>
  );
}

function LinkOwner({ link: l, members, onAssign }: { link: LinkItem; members: MemberItem[]; onAssign: (memberId: number) => void }) {
  const { t } = useLocale();
  const owner = members.find((m) => m.id === l.memberId);
  return (
    <li className="owner-row" data-testid="link-owner" data-link-id={l.id}>
      {owner && <MemberDot colour={owner.colour} />}
      <span className="owner-link">
        {l.bankName} <span className="small">{t("links.accounts", { count: l.accountCount })}</span>
      </span>
      <select
        value={l.memberId}
        onChange={(e) => onAssign(Number(e.target.value))}
        aria-label={t("household.linkOwner", { bank: l.bankName, count: l.accountCount })}
      >
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
    </li>
  );
}
