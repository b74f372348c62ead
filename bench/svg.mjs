// Hand-written grouped bar chart (no dependencies) for bench/throughput.svg.

const COLORS = { this: "#0f6cbd", official: "#8a8886", raw: "#107c10", fetch: "#c19c00" };
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A round tick step giving about five ticks up to `value`, and the axis maximum. */
function niceAxis(value) {
  const raw = value / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw);
  return { step, max: Math.ceil(value / step) * step };
}

/**
 * @param groups [{ label, bars: [{ contender, label, median, min, max }] }]
 */
export function renderThroughputSvg(groups, { title }) {
  const width = 900;
  const height = 440;
  const m = { top: 50, right: 20, bottom: 95, left: 70 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const all = groups.flatMap((g) => g.bars.map((b) => (Number.isFinite(b.max) ? b.max : b.median))).filter(Number.isFinite);
  const axis = niceAxis(Math.max(1, ...all) * 1.08);
  const yMax = axis.max;
  const y = (v) => m.top + plotH - (v / yMax) * plotH;
  const groupW = plotW / groups.length;
  const nBars = Math.max(...groups.map((g) => g.bars.length));
  const barW = Math.min(38, (groupW * 0.8) / nBars);
  const parts = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  parts.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="600">${esc(title)}</text>`);
  // grid + y axis
  const ticks = Math.round(yMax / axis.step);
  for (let i = 0; i <= ticks; i++) {
    const v = axis.step * i;
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${yy}" y2="${yy}" stroke="#e1dfdd"/>`);
    parts.push(`<text x="${m.left - 8}" y="${yy}" dy="4" text-anchor="end" fill="#605e5c">${Math.round(v).toLocaleString("en-US")}</text>`);
  }
  parts.push(`<text transform="translate(18 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#323130">operations per second</text>`);
  groups.forEach((g, gi) => {
    const gx = m.left + gi * groupW + (groupW - barW * g.bars.length) / 2;
    g.bars.forEach((b, bi) => {
      const x = gx + bi * barW;
      const v = Number.isFinite(b.median) ? b.median : 0;
      const color = COLORS[b.contender] ?? "#5c2d91";
      parts.push(`<rect x="${(x + 2).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 4).toFixed(1)}" height="${(m.top + plotH - y(v)).toFixed(1)}" fill="${color}"><title>${esc(`${b.label}: ${Math.round(v)} ops/s (min ${Math.round(b.min)}, max ${Math.round(b.max)})`)}</title></rect>`);
      if (Number.isFinite(b.min) && Number.isFinite(b.max)) {
        const cx = (x + barW / 2).toFixed(1);
        parts.push(`<line x1="${cx}" x2="${cx}" y1="${y(b.min).toFixed(1)}" y2="${y(b.max).toFixed(1)}" stroke="#201f1e" stroke-width="1"/>`);
        for (const w of [b.min, b.max]) parts.push(`<line x1="${(x + barW / 2 - 4).toFixed(1)}" x2="${(x + barW / 2 + 4).toFixed(1)}" y1="${y(w).toFixed(1)}" y2="${y(w).toFixed(1)}" stroke="#201f1e"/>`);
      }
      parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${(y(Number.isFinite(b.max) ? b.max : v) - 5).toFixed(1)}" text-anchor="middle" font-size="10" fill="#323130">${Math.round(v)}</text>`);
    });
    parts.push(`<text x="${(m.left + gi * groupW + groupW / 2).toFixed(1)}" y="${m.top + plotH + 18}" text-anchor="middle" fill="#323130">${esc(g.label)}</text>`);
  });
  parts.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${m.top + plotH}" y2="${m.top + plotH}" stroke="#8a8886"/>`);
  // legend
  const legend = groups[0]?.bars ?? [];
  const lw = plotW / legend.length;
  legend.forEach((b, i) => {
    const lx = m.left + i * lw + 10;
    const ly = height - 40;
    parts.push(`<rect x="${lx}" y="${ly}" width="12" height="12" fill="${COLORS[b.contender] ?? "#5c2d91"}"/>`);
    parts.push(`<text x="${lx + 18}" y="${ly + 10}" fill="#323130">${esc(b.label)}</text>`);
  });
  parts.push(`</svg>`);
  return `${parts.join("\n")}\n`;
}
