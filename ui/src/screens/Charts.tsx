// Hand-drawn SVG charts: the balance over time (with lost periods shaded) and monthly income vs
// expense. No chart library: two simple charts do not need one, and SVG stays crisp and themable.

import { useEffect, useState } from "react";
import type { BalancePointItem, GapItem, MonthTotalItem } from "../bindings/commands";
import { ErrorPanel, toFailure } from "../components";
import { useLocale } from "../context";
import { formatCalendarDate, formatYen } from "../lib/format";
import { call } from "../lib/transport";
import { emptyFilter } from "../lib/books";
import { niceScale, splitAtGaps } from "../lib/chart";

export const W = 720;
export const H = 240;
export const PAD = { left: 84, right: 12, top: 12, bottom: 28 };

export function Charts({ accountId, gaps }: { accountId: number; gaps: GapItem[] }) {
  const { t } = useLocale();
  const [points, setPoints] = useState<BalancePointItem[] | null>(null);
  const [months, setMonths] = useState<MonthTotalItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    call("balanceSeries", { accountId, from: null, to: null })
      .then((r) => setPoints(r.points))
      .catch(setError);
    call("monthlyTotals", {
      filter: { ...emptyFilter(), accounts: [accountId] },
    })
      .then((r) => setMonths(r.months.slice(-12)))
      .catch(setError);
  }, [accountId]);

  if (error) return <ErrorPanel failure={toFailure(error)} />;
  if (!points || !months) return <p className="loading">{t("common.loading")}</p>;
  return (
    <div className="charts">
      <section className="card">
        <h2>{t("charts.balance")}</h2>
        {points.length < 2 ? <p>{t("charts.noData")}</p> : <BalanceChart points={points} gaps={gaps} />}
        {points.length >= 2 && gaps.length > 0 && (
          <p className="legend small">
            <span className="swatch gap" /> {t("charts.gap")}
          </p>
        )}
      </section>
      <section className="card">
        <h2>{t("charts.monthly")}</h2>
        {months.length === 0 ? <p>{t("charts.noData")}</p> : <MonthlyChart months={months} />}
      </section>
    </div>
  );
}

const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
/** "2026-09" as 2026/09. */
const month = (m: string) => m.replace("-", "/");

function BalanceChart({ points, gaps }: { points: BalancePointItem[]; gaps: GapItem[] }) {
  const { t } = useLocale();
  const x0 = day(points[0].date);
  const x1 = day(points[points.length - 1].date);
  const scale = niceScale(Math.min(...points.map((p) => p.balance)), Math.max(...points.map((p) => p.balance)));
  const x = (d: string) => PAD.left + ((day(d) - x0) / Math.max(1, x1 - x0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - scale.min) / (scale.max - scale.min)) * (H - PAD.top - PAD.bottom);
  const path = splitAtGaps(points, gaps)
    .flatMap((run) => run.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.date).toFixed(1)},${y(p.balance).toFixed(1)}`))
    .join("");
  const last = points[points.length - 1];
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={`${t("charts.balance")}: ${formatYen(last.balance)}`}>
      <YenGrid ticks={scale.ticks} y={y} />
      {gaps.map((g) => (
        <rect key={g.dateFrom} x={x(g.dateFrom)} width={Math.max(2, x(g.dateTo) - x(g.dateFrom))} y={PAD.top} height={H - PAD.top - PAD.bottom} className="gap">
          <title>{`${formatCalendarDate(g.dateFrom)}–${formatCalendarDate(g.dateTo)}`}</title>
        </rect>
      ))}
      <path d={path} className="line" />
      <text x={PAD.left} y={H - 8} className="axis">
        {formatCalendarDate(points[0].date)}
      </text>
      <text x={W - PAD.right} y={H - 8} textAnchor="end" className="axis">
        {formatCalendarDate(last.date)}
      </text>
    </svg>
  );
}

function MonthlyChart({ months }: { months: MonthTotalItem[] }) {
  const { t } = useLocale();
  const scale = niceScale(0, Math.max(...months.map((m) => Math.max(m.income, m.expense))));
  const band = (W - PAD.left - PAD.right) / months.length;
  const bar = Math.min(22, band / 2.6);
  const y = (v: number) => PAD.top + (1 - v / scale.max) * (H - PAD.top - PAD.bottom);
  return (
    <>
      <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={t("charts.monthly")}>
        <YenGrid ticks={scale.ticks} y={y} />
        {months.map((m, i) => {
          const cx = PAD.left + band * i + band / 2;
          return (
            <g key={m.month}>
              <rect x={cx - bar - 1} width={bar} y={y(m.income)} height={y(0) - y(m.income)} className="income">
                <title>{`${month(m.month)} ${t("charts.income")} ${formatYen(m.income)}`}</title>
              </rect>
              <rect x={cx + 1} width={bar} y={y(m.expense)} height={y(0) - y(m.expense)} className="expense">
                <title>{`${month(m.month)} ${t("charts.expense")} ${formatYen(m.expense)}`}</title>
              </rect>
              <text x={cx} y={H - 8} textAnchor="middle" className="axis">
                {month(m.month)}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="legend small">
        <span className="swatch income" /> {t("charts.income")} <span className="swatch expense" /> {t("charts.expense")}
      </p>
    </>
  );
}

/** The horizontal grid lines of a chart, each labelled with its amount in yen. */
export function YenGrid({ ticks, y }: { ticks: number[]; y: (v: number) => number }) {
  return (
    <>
      {ticks.map((v) => (
        <g key={v}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className="grid" />
          <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="axis">
            {formatYen(v)}
          </text>
        </g>
      ))}
    </>
  );
}
