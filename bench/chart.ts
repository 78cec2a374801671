// A hand-written SVG scatter plot: every timed delete as a point, and each series' least-squares line.
// Plain SVG text keeps the chart diff-able and free of a plotting dependency.
import type { LinearFit } from "./stats";

export type Series = {
  name: string;
  color: string;
  fit: LinearFit;
  samples: { x: number; ys: number[] }[];
};

const WIDTH = 760;
const HEIGHT = 460;
const MARGIN = { top: 48, right: 24, bottom: 56, left: 72 };

/** A round step (1, 2 or 5 times a power of ten) that splits `range` into about `count` parts. */
function niceStep(range: number, count: number): number {
  const raw = range / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return step ?? 10 * power;
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const fmt = (value: number) => value.toLocaleString("en", { maximumFractionDigits: 2 });

export function deleteCostSvg(chart: { title: string; series: Series[] }): string {
  const xs = chart.series.flatMap((s) => s.samples.map((p) => p.x));
  const ys = chart.series.flatMap((s) => s.samples.flatMap((p) => p.ys));
  const xStep = niceStep(Math.max(1, ...xs), 5);
  const xMax = Math.ceil(Math.max(1, ...xs) / xStep) * xStep;
  const yStep = niceStep(Math.max(1, ...ys), 5);
  const yMax = Math.ceil(Math.max(1, ...ys) / yStep) * yStep;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => MARGIN.left + (x / xMax) * plotW;
  const py = (y: number) => MARGIN.top + plotH - (y / yMax) * plotH;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15" font-weight="600">${escape(chart.title)}</text>`,
  ];
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${py(y)}" x2="${MARGIN.left + plotW}" y2="${py(y)}" stroke="#e5e7eb"/>`,
      `<text x="${MARGIN.left - 8}" y="${py(y) + 4}" text-anchor="end">${fmt(y)}</text>`,
    );
  }
  for (let x = 0; x <= xMax + 1e-9; x += xStep) {
    parts.push(
      `<line x1="${px(x)}" y1="${MARGIN.top}" x2="${px(x)}" y2="${MARGIN.top + plotH}" stroke="#f3f4f6"/>`,
      `<text x="${px(x)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${fmt(x)}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}" stroke="#111827"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}" stroke="#111827"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">rows deleted with the server (sessions, tool calls, user bindings)</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">milliseconds per delete</text>`,
  );

  chart.series.forEach((series, index) => {
    // The fit line is clipped to the plot area (a negative intercept would start below the x axis).
    const { slope, intercept } = series.fit;
    const at = (x: number) => intercept + slope * x;
    const x0 = intercept < 0 && slope > 0 ? -intercept / slope : 0;
    const x1 = slope > 0 && at(xMax) > yMax ? (yMax - intercept) / slope : xMax;
    parts.push(
      `<line x1="${px(x0)}" y1="${py(at(x0))}" x2="${px(x1)}" y2="${py(at(x1))}" stroke="${series.color}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    );
    for (const sample of series.samples) {
      for (const y of sample.ys) {
        parts.push(
          `<circle cx="${px(sample.x)}" cy="${py(y)}" r="4" fill="${series.color}" fill-opacity="0.55" stroke="${series.color}"/>`,
        );
      }
    }
    const legendY = MARGIN.top + 10 + index * 34;
    const legendX = MARGIN.left + 16;
    const perThousand = series.fit.slope * 1000;
    parts.push(
      `<circle cx="${legendX}" cy="${legendY}" r="4" fill="${series.color}" fill-opacity="0.55" stroke="${series.color}"/>`,
      `<text x="${legendX + 10}" y="${legendY + 4}">${escape(series.name)}</text>`,
      `<text x="${legendX + 10}" y="${legendY + 19}" fill="#4b5563">fit of the medians: ${fmt(series.fit.intercept)} ms + ${fmt(perThousand)} ms per 1,000 rows, R² = ${series.fit.r2.toFixed(4)}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
