// Charts of the report screens, drawn by uPlot (pwa/node_modules, served at /pwa/vendor/): loaded
// on first use, so no other screen downloads it. Every chart has its figures in a table beside
// it; a chart that cannot load leaves the table, which is what prints and what screen readers read.
import { h } from "../dom.js";

export const LEVEL_COLOURS = { red: "#D7191C", orange: "#F28E2B", yellow: "#F2CC0C", blue: "#2C7BB6" };
const BLUE = "#1f5fa8";
const INK = "#1b1b1b";
const GRID = "#c9d1db";
const FONT_FAMILY = 'system-ui, "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif';

let library = null;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    document.head.append(h("script", { src, onload: resolve, onerror: reject }));
  });
}

function loadLibrary() {
  if (!document.querySelector('link[href="/pwa/vendor/uPlot.min.css"]')) {
    document.head.append(h("link", { rel: "stylesheet", href: "/pwa/vendor/uPlot.min.css" }));
  }
  library ||= loadScript("/pwa/vendor/uPlot.iife.min.js").then(() => window.uPlot);
  library.catch(() => { library = null; });
  return library;
}

/** A box for a chart: described for screen readers by its caption; the table beside it has the figures. */
export function chartBox(label, kind) {
  return h("div", { class: `chart chart-${kind}`, role: "img", "aria-label": label });
}

/** Big enough to read on a phone held at arm's length and on a projector across a meeting room. */
function fontSize(width) {
  return width < 480 ? 14 : 17;
}

function font(px, weight = "") {
  return `${weight} ${px}px ${FONT_FAMILY}`.trim();
}

/** Shorten a label to fit `room` pixels, with an ellipsis. */
function fit(text, room, px) {
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = font(px);
  if (ctx.measureText(text).width <= room) return { text, width: ctx.measureText(text).width };
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > room) cut = cut.slice(0, -1);
  return { text: `${cut}…`, width: ctx.measureText(`${cut}…`).width };
}

/** Draw on resize too (a phone turned sideways, a window made narrower); each chart owns its observer. */
function draw(box, build) {
  let plot = null;
  const render = () => {
    const width = Math.floor(box.clientWidth);
    if (width < 50) return;
    plot?.destroy();
    plot = build(width);
  };
  render();
  let last = box.clientWidth;
  new ResizeObserver(() => {
    if (Math.abs(box.clientWidth - last) < 4) return;
    last = box.clientWidth;
    render();
  }).observe(box);
}

/** The value of each bar (or point), written beside it: nobody has to read it off an axis. */
function valueLabels(values, format, horizontal, px, compact = format) {
  return (u) => {
    const { ctx } = u;
    const ratio = devicePixelRatio || 1;
    ctx.save();
    ctx.font = font(Math.round(px * ratio), "bold");
    ctx.fillStyle = INK;
    // upright, side by side: the short form when the long one would run into its neighbour
    const room = horizontal ? Infinity : Math.abs(u.valToPos(1, "x", true) - u.valToPos(0, "x", true)) - 6 * ratio;
    const widest = Math.max(0, ...values.filter((v) => v !== null && v !== undefined).map((v) => ctx.measureText(format(v)).width));
    const write = widest > room ? compact : format;
    values.forEach((value, i) => {
      if (value === null || value === undefined) return;
      const text = write(value);
      const along = u.valToPos(i, "x", true);
      const across = u.valToPos(value, "y", true);
      if (horizontal) {
        const width = ctx.measureText(text).width;
        const inside = across + 6 * ratio + width > u.bbox.left + u.bbox.width;
        ctx.textAlign = inside ? "right" : "left";
        ctx.textBaseline = "middle";
        ctx.fillStyle = inside ? "#fff" : INK;
        ctx.fillText(text, across + (inside ? -6 : 6) * ratio, along);
      } else {
        ctx.textAlign = "center";
        ctx.textBaseline = "bottom";
        ctx.fillText(text, along, across - 5 * ratio);
      }
    });
    ctx.restore();
  };
}

/**
 * Bars, one per label: upright (days, categories, levels) or lying down (a ranking, first on top).
 * `colours`: one per bar, or none for the app's blue. `max`: the scale's top (1 for rates).
 */
export async function barChart(box, { labels, values, colours, horizontal = false, format = String, max }) {
  const uPlot = await loadLibrary();
  const top = max ?? Math.max(1, ...values.map((v) => v ?? 0)) * 1.18;
  draw(box, (width) => {
    const px = fontSize(width);
    const n = labels.length;
    let categoryAxis;
    let height;
    if (horizontal) {
      const room = Math.round(width * (width < 480 ? 0.42 : 0.3));
      const fitted = labels.map((label) => fit(label, room, px));
      categoryAxis = { size: Math.ceil(Math.max(...fitted.map((f) => f.width), 20)) + 14, names: fitted.map((f) => f.text) };
      height = n * (px * 2.4) + px * 2.6 + 16;
    } else {
      const room = Math.max(24, width / Math.max(n, 1) - 6);
      categoryAxis = { size: px * 2.4, names: labels.map((label) => fit(label, room, px).text) };
      height = width < 480 ? 240 : 300;
    }
    const bars = uPlot.paths.bars({
      size: [horizontal ? 0.7 : 0.62, horizontal ? 42 : 90],
      disp: colours ? { fill: { unit: 3, values: () => colours } } : undefined,
    });
    const options = {
      width, height, legend: { show: false }, cursor: { show: false }, select: { show: false },
      padding: [px, horizontal ? px * 2 : 8, 0, 0],
      scales: {
        // lying down, the first bar (rank 1) on top
        x: { time: false, range: [-0.5, n - 0.5], ori: horizontal ? 1 : 0, dir: horizontal ? -1 : 1 },
        y: { range: [0, top], ori: horizontal ? 0 : 1, dir: 1 },
      },
      axes: [
        { scale: "x", side: horizontal ? 3 : 2, size: categoryAxis.size, font: font(px), stroke: INK,
          grid: { show: false }, ticks: { show: false }, gap: 6,
          splits: () => labels.map((_, i) => i), values: (u, splits) => splits.map((i) => categoryAxis.names[i] ?? "") },
        { scale: "y", side: horizontal ? 2 : 3, size: horizontal ? px * 2.2 : px * 3.2, font: font(px), stroke: INK,
          grid: { stroke: GRID, width: 1 }, ticks: { show: false }, gap: 4,
          splits: max === 1 ? () => (width < 480 && horizontal ? [0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1]) : undefined,
          values: (u, splits) => splits.map((v) => (max === 1 ? `${Math.round(v * 100)}%` : Number.isInteger(v) ? String(v) : "")) },
      ],
      series: [{}, { paths: bars, fill: BLUE, stroke: BLUE, width: 0, points: { show: false } }],
      hooks: { draw: [valueLabels(values, format, horizontal, px)] },
    };
    const el = h("div");
    box.replaceChildren(el);
    return new uPlot(options, [labels.map((_, i) => i), values], el);
  });
}

/** A line through the months, with each month's value written above its point; gaps where there is none. */
export async function lineChart(box, { labels, values, format = String, compact = format, max = 1 }) {
  const uPlot = await loadLibrary();
  draw(box, (width) => {
    const px = fontSize(width);
    const n = labels.length;
    const room = Math.max(24, width / Math.max(n, 1) - 6);
    const options = {
      width, height: width < 480 ? 240 : 300, legend: { show: false }, cursor: { show: false }, select: { show: false },
      padding: [px * 1.8, px * 1.5, 0, 0],
      scales: { x: { time: false, range: [-0.4, n - 0.6] }, y: { range: [0, max] } },
      axes: [
        { size: px * 2.4, font: font(px), stroke: INK, grid: { show: false }, ticks: { show: false }, gap: 6,
          splits: () => labels.map((_, i) => i), values: (u, splits) => splits.map((i) => fit(labels[i] ?? "", room, px).text) },
        { size: px * 3.2, font: font(px), stroke: INK, grid: { stroke: GRID, width: 1 }, ticks: { show: false }, gap: 4,
          splits: max === 1 ? () => [0, 0.25, 0.5, 0.75, 1] : undefined,
          values: (u, splits) => splits.map((v) => (max === 1 ? `${Math.round(v * 100)}%` : String(v))) },
      ],
      series: [{}, { stroke: BLUE, width: 3, spanGaps: false, points: { show: true, size: 11, fill: BLUE, stroke: "#fff", width: 2 } }],
      hooks: { draw: [valueLabels(values, format, false, px, compact)] },
    };
    const el = h("div");
    box.replaceChildren(el);
    return new uPlot(options, [labels.map((_, i) => i), values], el);
  });
}
