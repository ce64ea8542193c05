import { t } from '../i18n';
import { addHours, clockToUtcMs, utcMsToClock } from '../state/clock';
import type { Lang } from '../state/types';
import { clear, h } from './dom';

export interface TimeBarProps {
  /** First and last hour of the data, app clock format. */
  span: [string, string];
  time: string;
  lang: Lang;
  onTime: (time: string) => void;
}

/** A minimal hour slider over the data's span; the full clock with playback builds on it. */
export function renderTimeBar(root: HTMLElement, p: TimeBarProps): void {
  const startMs = clockToUtcMs(p.span[0]);
  const hours = Math.round((clockToUtcMs(p.span[1]) - startMs) / 3600_000);
  const index = Math.round((clockToUtcMs(p.time) - startMs) / 3600_000);
  let slider = root.querySelector<HTMLInputElement>('input.time-slider');
  const label = root.querySelector<HTMLElement>('.time-label');
  if (slider && label && slider.max === String(hours)) {
    if (document.activeElement !== slider) slider.value = String(index);
    label.textContent = formatClock(p.time, p.lang);
    return;
  }
  clear(root);
  const step = (dh: number) => () => {
    const next = addHours(p.time, dh);
    const ms = clockToUtcMs(next);
    if (ms >= startMs && ms <= clockToUtcMs(p.span[1])) p.onTime(next);
  };
  slider = h('input', {
    type: 'range',
    class: 'time-slider',
    min: 0,
    max: hours,
    step: 1,
    value: index,
    'aria-label': t('time', p.lang),
    input: (e: Event) => p.onTime(utcMsToClock(startMs + Number((e.target as HTMLInputElement).value) * 3600_000)),
  });
  root.append(
    h('button', { type: 'button', class: 'time-step', title: '−24 h', click: step(-24) }, '«'),
    h('button', { type: 'button', class: 'time-step', title: '−1 h', click: step(-1) }, '‹'),
    slider,
    h('button', { type: 'button', class: 'time-step', title: '+1 h', click: step(1) }, '›'),
    h('button', { type: 'button', class: 'time-step', title: '+24 h', click: step(24) }, '»'),
    h('span', { class: 'time-label' }, formatClock(p.time, p.lang)),
  );
}

export function formatClock(time: string, lang: Lang): string {
  const [date, hour] = time.split('T');
  return lang === 'zh' ? `${date} ${hour}:00（北京时间）` : `${date} ${hour}:00 CST`;
}
