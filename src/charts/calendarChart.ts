/**
 * A year of daily AQI as a GitHub-style calendar: a column per week, Monday
 * on top, each day in its HJ 633-2012 level colour, missing days hatched
 * (never the colour of a clean day). The cursor day is outlined; moving it
 * touches one rectangle.
 */
import { AQI_LEVELS, aqiLevel } from '../standards/aqi';
import type { Lang } from '../state/types';
import { addDays, dayIndex } from '../air/periodStats';
import { fmtDay, fmtNum, monthLabel, weekdayLabel } from './format';
import { asImage, legendItem, mountFrame, uid, type Size, type Svg } from './frame';
import { calendarLayout, isValue } from './layout';

export interface CalendarProps {
  /** CST day of values[0]. */
  startDay: string;
  /** Daily AQI; NaN = missing. */
  values: Float32Array;
  cursorDay: string | null;
  lang: Lang;
  onPick?: (day: string) => void;
}

export interface CalendarHandle {
  setCursor(day: string | null): void;
  destroy(): void;
}

const TXT = {
  missing: { zh: '缺测', en: 'no data' },
  title: { zh: '每日空气质量指数', en: 'Daily air quality index' },
  days: { zh: '天', en: 'days' },
};

export function renderCalendar(el: HTMLElement, p: CalendarProps): CalendarHandle {
  let cursor = p.cursorDay;
  let moveCursor: (day: string | null) => void = () => {};
  const frame = mountFrame(el, 'ca-calendar', (svg, size) => {
    moveCursor = draw(svg, size, p);
    moveCursor(cursor);
  });
  for (const l of AQI_LEVELS) {
    const item = legendItem(l.colour, l.name[p.lang]);
    item.title = `AQI ${l.range[0]}–${l.range[1] ?? '500'}`;
    frame.legend.append(item);
  }
  frame.legend.append(legendItem('', TXT.missing[p.lang], 'ca-swatch-missing'));
  return {
    setCursor(day) {
      cursor = day;
      moveCursor(day);
    },
    destroy: () => frame.destroy(),
  };
}

function draw(svg: Svg, { width, height }: Size, p: CalendarProps): (day: string | null) => void {
  const { lang, values, startDay } = p;
  const n = values.length;
  const lay = calendarLayout(startDay, n);
  const top = 14;
  const probe = Math.min((width - 30) / Math.max(1, lay.weeks), (height - top - 2) / 7);
  // Weekday labels only where a row is tall enough to read them.
  const left = probe >= 9 ? (lang === 'zh' ? 30 : 28) : 4;
  const cell = Math.max(3, Math.min(26, Math.floor(Math.min((width - left - 4) / Math.max(1, lay.weeks), (height - top - 2) / 7))));
  const gap = cell >= 10 ? 2 : 1;
  const size = cell - gap;

  const levelCount = [0, 0, 0, 0, 0, 0];
  let missing = 0;
  for (const v of values) {
    if (isValue(v)) levelCount[aqiLevel(v).level - 1]!++;
    else missing++;
  }
  const summary = AQI_LEVELS.map((l, k) => `${l.name[lang]} ${levelCount[k]}`)
    .concat(`${TXT.missing[lang]} ${missing}`)
    .join(lang === 'zh' ? '，' : ', ');
  const last = n > 0 ? addDays(startDay, n - 1) : startDay;
  asImage(svg, `${TXT.title[lang]} ${fmtDay(startDay, lang)} – ${fmtDay(last, lang)} (${TXT.days[lang]}): ${summary}`);

  const hatch = uid('hatch');
  const pat = svg.append('defs').append('pattern').attr('id', hatch).attr('patternUnits', 'userSpaceOnUse');
  pat.attr('width', 4).attr('height', 4).attr('patternTransform', 'rotate(45)');
  pat.append('rect').attr('class', 'ca-hatch-bg').attr('width', 4).attr('height', 4);
  pat.append('line').attr('class', 'ca-hatch-line').attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 4);

  const g = svg.append('g').attr('transform', `translate(${left},${top})`);
  const monthTexts = g
    .append('g')
    .attr('class', 'ca-cal-months')
    .selectAll('text')
    .data(lay.months)
    .join('text')
    .attr('x', (m) => m.col * cell)
    .attr('y', -4)
    .text((m) => (m.month === 1 ? `${m.day.slice(0, 4)}${lang === 'zh' ? '年' : ''}` : monthLabel(m.month, lang)));
  // Tiny cells put month labels closer than their width: skip those that would overprint.
  let labelEnd = -Infinity;
  for (const t of monthTexts.nodes() as SVGTextElement[]) {
    const x = Number(t.getAttribute('x'));
    if (x < labelEnd) t.setAttribute('visibility', 'hidden');
    else labelEnd = x + t.getComputedTextLength() + 4;
  }
  if (left > 4) {
    g.append('g')
      .attr('class', 'ca-cal-weekdays')
      .selectAll('text')
      .data([0, 2, 4])
      .join('text')
      .attr('x', -5)
      .attr('y', (r) => r * cell + size / 2)
      .attr('dy', '0.35em')
      .attr('text-anchor', 'end')
      .text((r) => weekdayLabel(r, lang));
  }

  const cells = g.append('g').attr('class', p.onPick ? 'ca-cal-cells ca-pickable' : 'ca-cal-cells');
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const level = isValue(v) ? aqiLevel(v) : null;
    const r = cells
      .append('rect')
      .attr('x', lay.col[i]! * cell)
      .attr('y', lay.row[i]! * cell)
      .attr('width', size)
      .attr('height', size)
      .attr('rx', size >= 8 ? 1.5 : 0)
      .attr('fill', level ? level.colour : `url(#${hatch})`)
      .attr('data-i', i);
    r.append('title').text(
      `${fmtDay(addDays(startDay, i), lang)} · ` + (level ? `AQI ${fmtNum(v, lang)} · ${level.name[lang]}` : TXT.missing[lang]),
    );
  }
  if (p.onPick) {
    const pick = p.onPick;
    cells.on('click', (ev: MouseEvent) => {
      const i = Number((ev.target as Element).closest('rect')?.getAttribute('data-i'));
      if (Number.isInteger(i) && i >= 0 && i < n) pick(addDays(startDay, i));
    });
  }

  const cur = g.append('rect').attr('class', 'ca-cal-cursor').attr('width', size + 2).attr('height', size + 2);
  return (day) => {
    const i = day === null ? -1 : dayIndex(startDay, day);
    if (i < 0 || i >= n) {
      cur.attr('visibility', 'hidden');
      return;
    }
    cur.attr('visibility', null).attr('x', lay.col[i]! * cell - 1).attr('y', lay.row[i]! * cell - 1);
  };
}
