// Axis scales with round tick values (¥0, ¥50,000, ¥100,000 …).

export interface Scale {
  min: number;
  max: number;
  ticks: number[];
}

/** A scale covering [lo, hi] with about `count` ticks at 1, 2 or 5 × 10ⁿ steps. */
export function niceScale(lo: number, hi: number, count = 4): Scale {
  if (hi === lo) {
    hi = lo + 1;
  }
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = min; v <= max + step / 2; v += step) ticks.push(Math.round(v));
  return { min, max, ticks };
}

/** The points split into runs that do not cross a lost period, so no line is drawn through one. */
export function splitAtGaps<P extends { date: string }>(points: P[], gaps: { dateFrom: string }[]): P[][] {
  const runs: P[][] = [];
  let run: P[] = [];
  for (const p of points) {
    const prev = run.at(-1);
    if (prev && gaps.some((g) => g.dateFrom > prev.date && g.dateFrom <= p.date)) {
      runs.push(run);
      run = [];
    }
    run.push(p);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
