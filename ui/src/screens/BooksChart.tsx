// The 家計簿's year: each month's spending stacked by 大項目 beside its income. A month is
// chosen by clicking (or Enter on) its bars.

import type { KeyboardEvent } from "react";
import { useLocale } from "../context";
import { categoryName, formatMonth, formatMonthShort, type Categories, type Month, type StackedMonth, type Series } from "../lib/books";
import { niceScale } from "../lib/chart";
import { formatYen } from "../lib/format";
import { H, PAD, W, YenGrid } from "./Charts";

interface Props {
  stacked: { series: Series[]; bars: StackedMonth[] };
  selected: Month;
  onSelect: (m: Month) => void;
  categories: Categories | null;
}

export function BooksChart({ stacked, selected, onSelect, categories }: Props) {
  const { t, lang } = useLocale();
  const { series, bars } = stacked;
  const scale = niceScale(0, Math.max(1, ...bars.map((b) => Math.max(b.spending, b.income))));
  const band = (W - PAD.left - PAD.right) / bars.length;
  const bar = Math.min(20, band / 2.8);
  const y = (v: number) => PAD.top + (1 - v / scale.max) * (H - PAD.top - PAD.bottom);
  const seriesName = (s: Series) =>
    s.key === "rest"
      ? t("books.chart.rest")
      : s.key === "none"
        ? t("books.uncategorised")
        : (categories?.get(s.categoryId) && categoryName(categories.get(s.categoryId)!, lang)) ?? "";
  const byKey = new Map(series.map((s) => [s.key, s]));
  const choose = (m: Month) => (e: KeyboardEvent) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault();
    onSelect(m);
  };
  return (
    <>
      <svg viewBox={`0 0 ${W} ${H}`} className="chart books-chart" role="group" aria-label={t("books.yearChart")}>
        <YenGrid ticks={scale.ticks} y={y} />
        {bars.map((b, i) => {
          const cx = PAD.left + band * i + band / 2;
          let top = 0;
          const label = t("books.chart.month", {
            month: formatMonth(b.month, lang),
            spending: formatYen(b.spending),
            income: formatYen(b.income),
          });
          const withYear = i === 0 || b.month.endsWith("-01");
          return (
            <g
              key={b.month}
              className={b.month === selected ? "month selected" : "month"}
              role="button"
              tabIndex={0}
              aria-pressed={b.month === selected}
              aria-label={label}
              onClick={() => onSelect(b.month)}
              onKeyDown={choose(b.month)}
              data-testid="chart-month"
              data-month={b.month}
            >
              <title>{label}</title>
              <rect className="hit" x={cx - band / 2 + 1} width={band - 2} y={PAD.top} height={H - PAD.top - PAD.bottom + 20} rx={6} />
              {b.bands.map((s) => {
                const from = top;
                top += s.amount;
                const color = byKey.get(s.key)?.color;
                return <rect key={s.key} x={cx - bar - 1} width={bar} y={y(top)} height={Math.max(0, y(from) - y(top))} className={`band c-${color}`} />;
              })}
              <rect x={cx + 1} width={bar} y={y(Math.max(0, b.income))} height={Math.max(0, y(0) - y(Math.max(0, b.income)))} className="income" />
              <text x={cx} y={H - 8} textAnchor="middle" className="axis">
                {formatMonthShort(b.month, lang, withYear)}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="legend small">
        {series.map((s) => (
          <span key={s.key} className="legend-item">
            <span className={`swatch c-${s.color}`} /> {seriesName(s)}
          </span>
        ))}
        <span className="legend-item">
          <span className="swatch income" /> {t("books.income")}
        </span>
      </p>
    </>
  );
}
