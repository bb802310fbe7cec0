// Usage over time, as a picture (issue 21): the last 90 UTC days of a workspace as an SVG drawn here (the
// console's CSP allows no inline script or style, so every look is a class in usage-chart.css), with the same
// numbers in a table beside it. Readable without colour: each kind of credential has its own fill pattern, the
// lines have their own dashes and markers, and the legend names them all. Pure: a function of the usage the
// API answered (GET /workspaces/{ws}/usage).

import { h } from '../lib/dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 900;
const HEIGHT = 280;
const PAD = { left: 44, right: 12, top: 14, bottom: 34 };

/** An SVG element: attributes as given (no style), children appended; text children become text nodes. */
function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined && value !== false) {
      el.setAttribute(key, String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) {
      el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return el;
}

// Each kind's bar class fills with its pattern (usage-chart.css: fill: url(#usage-fill-…)).
const KINDS = [
  { key: 'authToken', label: 'Auth tokens', cls: 'usage-chart__bar--token' },
  { key: 'ciKey', label: 'CI keys', cls: 'usage-chart__bar--ci' },
  { key: 'legacyKey', label: 'Legacy keys', cls: 'usage-chart__bar--legacy' },
];

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const fullDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const label = (iso, full = false) => (full ? fullDay : dayLabel).format(new Date(`${iso}T00:00:00Z`));

/** A round upper bound for the y axis (at least 4, so that a quiet workspace still gets a readable scale). */
function niceMax(value) {
  const v = Math.max(4, value);
  const step = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * step >= v) {
      return m * step;
    }
  }
  return 10 * step;
}

function defs() {
  // Patterns, so that the kinds differ without colour: solid, diagonal hatching, dots.
  return svg('defs', null,
    svg('pattern', { id: 'usage-fill-token', width: 6, height: 6, patternUnits: 'userSpaceOnUse' },
      svg('rect', { width: 6, height: 6, class: 'usage-chart__fill usage-chart__fill--token' })),
    svg('pattern', { id: 'usage-fill-ci', width: 6, height: 6, patternUnits: 'userSpaceOnUse',
      patternTransform: 'rotate(45)' },
    svg('rect', { width: 6, height: 6, class: 'usage-chart__fill usage-chart__fill--ci-ground' }),
    svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'usage-chart__hatch' })),
    svg('pattern', { id: 'usage-fill-legacy', width: 5, height: 5, patternUnits: 'userSpaceOnUse' },
      svg('rect', { width: 5, height: 5, class: 'usage-chart__fill usage-chart__fill--legacy-ground' }),
      svg('circle', { cx: 2.5, cy: 2.5, r: 1.3, class: 'usage-chart__dot' })));
}

function chart(days) {
  const n = days.length;
  const max = niceMax(Math.max(...days.map((d) => Math.max(d.seats, d.seatsInUse, d.members,
    d.activations.authToken + d.activations.ciKey + d.activations.legacyKey))));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / n;
  const barW = Math.max(1, slot * 0.72);
  const x = (i) => PAD.left + i * slot;
  const y = (v) => PAD.top + plotH - (v / max) * plotH;

  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = Math.round(max * f * 100) / 100;
    return svg('g', { class: 'usage-chart__tick' },
      svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(v), y2: y(v), class: 'usage-chart__grid' }),
      svg('text', { x: PAD.left - 6, y: y(v) + 4, class: 'usage-chart__label usage-chart__label--y' }, String(v)));
  });
  const every = Math.max(1, Math.round(n / 6));
  const xLabels = days.map((d, i) => ((n - 1 - i) % every === 0
    ? svg('text', { x: x(i) + slot / 2, y: HEIGHT - 12, class: 'usage-chart__label usage-chart__label--x' }, label(d.date))
    : null));

  const bars = days.map((d, i) => {
    let base = 0;
    return KINDS.map((k) => {
      const value = d.activations[k.key];
      if (!value) {
        return null;
      }
      const top = base + value;
      const rect = svg('rect', { x: x(i) + (slot - barW) / 2, y: y(top), width: barW, height: y(base) - y(top),
        class: ['usage-chart__bar', k.cls].join(' ') });
      base = top;
      return rect;
    });
  });

  // Seats in use as a step line (the end of each day), seats as a dashed step line, members as a line with markers.
  const steps = (key) => days.map((d, i) => `${i === 0 ? 'M' : 'L'}${x(i)},${y(d[key])} L${x(i) + slot},${y(d[key])}`)
    .join(' ');
  const members = days.map((d, i) => `${i === 0 ? 'M' : 'L'}${x(i) + slot / 2},${y(d.members)}`).join(' ');
  const markers = days.map((d, i) => (d.members > 0
    ? svg('rect', { x: x(i) + slot / 2 - 2.5, y: y(d.members) - 2.5, width: 5, height: 5,
      class: 'usage-chart__marker' }) : null));

  const last = days[n - 1];
  const busiest = days.reduce((a, d) => (d.members > a.members ? d : a), days[0]);
  const sum = (d) => d.activations.authToken + d.activations.ciKey + d.activations.legacyKey;
  const activeDays = days.filter((d) => sum(d) > 0).length;
  return svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'usage-chart__svg', role: 'img',
    'aria-labelledby': 'usage-chart-title usage-chart-desc', focusable: 'false' },
  svg('title', { id: 'usage-chart-title' }, `Usage per day, ${label(days[0].date, true)} to ${label(last.date, true)}`),
  svg('desc', { id: 'usage-chart-desc' }, `Seats in use today: ${last.seatsInUse} of ${last.seats}. `
      + (activeDays === 0 ? `LocalStack was not activated in these ${n} days. `
        : `LocalStack was activated on ${activeDays} of ${n} days; at most ${busiest.members} members on one day `
          + `(${label(busiest.date, true)}). `)
      + 'Every day\'s numbers are in the table "Usage per day".'),
  defs(),
  grid,
  bars,
  svg('path', { d: steps('seats'), class: 'usage-chart__line usage-chart__line--seats' }),
  svg('path', { d: steps('seatsInUse'), class: 'usage-chart__line usage-chart__line--in-use' }),
  svg('path', { d: members, class: 'usage-chart__line usage-chart__line--members' }),
  markers,
  xLabels);
}

function legend() {
  const swatch = (content) => svg('svg', { viewBox: '0 0 24 14', class: 'usage-legend__swatch', 'aria-hidden': 'true',
    focusable: 'false' }, content);
  const kind = (k) => h('li', { class: 'usage-legend__item' },
    // The chart's own patterns (one set of ids per page).
    swatch(svg('rect', { x: 2, y: 1, width: 20, height: 12, class: ['usage-chart__bar', k.cls].join(' ') })),
    `${k.label} (bars: seats that activated)`);
  return h('ul', { class: 'usage-legend', id: 'usage-legend', 'aria-label': 'Legend' },
    KINDS.map(kind),
    h('li', { class: 'usage-legend__item' }, swatch(svg('path', { d: 'M1,7 L23,7',
      class: 'usage-chart__line usage-chart__line--in-use' })), 'Seats in use (thick line)'),
    h('li', { class: 'usage-legend__item' }, swatch(svg('path', { d: 'M1,7 L23,7',
      class: 'usage-chart__line usage-chart__line--seats' })), 'Seats (dashed line)'),
    h('li', { class: 'usage-legend__item' }, swatch([svg('path', { d: 'M1,7 L23,7',
      class: 'usage-chart__line usage-chart__line--members' }), svg('rect', { x: 9.5, y: 4.5, width: 5, height: 5,
      class: 'usage-chart__marker' })]), 'Members who activated (line with squares)'));
}

function table(days) {
  return h('div', { class: 'usage__table', role: 'region', tabindex: '0', 'aria-labelledby': 'usage-table-caption' },
    h('table', { class: 'table table--compact', id: 'usage-table' },
      h('caption', { id: 'usage-table-caption', class: 'usage__caption' }, 'Usage per day (UTC), newest first'),
      h('thead', null, h('tr', null,
        ['Day', 'Seats in use', 'Seats', 'Members who activated', 'Auth tokens', 'CI keys', 'Legacy keys']
          .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, days.slice().reverse().map((d) => h('tr', null,
        h('th', { scope: 'row' }, h('time', { datetime: d.date }, label(d.date, true))),
        h('td', null, String(d.seatsInUse)), h('td', null, String(d.seats)), h('td', null, String(d.members)),
        h('td', null, String(d.activations.authToken)), h('td', null, String(d.activations.ciKey)),
        h('td', null, String(d.activations.legacyKey)))))));
}

/** The section's content: the chart, its legend and the table, or why they are not there. */
export function usageChart(usage, error) {
  if (error) {
    return h('p', { class: 'field-error', role: 'alert' }, error);
  }
  if (!usage) {
    return h('p', { class: 'loading' }, 'Loading usage…');
  }
  return h('div', { class: 'usage' },
    h('figure', { class: 'usage__figure', 'aria-describedby': 'usage-legend' },
      chart(usage.days),
      h('figcaption', { class: 'hint' }, 'Each seat, CI key and legacy key counts once a day, however often it '
        + 'activated; the table beside the chart has every number.'),
      legend()),
    table(usage.days));
}
