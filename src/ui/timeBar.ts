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
  playing: boolean;
  speed: number;
  onPlay: (speed: number) => void;
  onPause: () => void;
}

const SPEEDS = [0.5, 1, 2, 4, 8, 16];

/** A minimal hour slider over the data's span; the full clock with playback builds on it. */
export function renderTimeBar(root: HTMLElement, p: TimeBarProps): void {
  const startMs = clockToUtcMs(p.span[0]);
  const hours = Math.round((clockToUtcMs(p.span[1]) - startMs) / 3600_000);
  const index = Math.round((clockToUtcMs(p.time) - startMs) / 3600_000);
  let slider = root.querySelector<HTMLInputElement>('input.time-slider');
  const label = root.querySelector<HTMLElement>('.time-label');
  const playBtn = root.querySelector<HTMLButtonElement>('.time-play');
  if (slider && label && playBtn && slider.max === String(hours)) {
    if (document.activeElement !== slider) slider.value = String(index);
    label.textContent = formatClock(p.time, p.lang);
    setPlayButton(playBtn, p.playing, p.lang);
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
  const speedSel = h(
    'select',
    { class: 'time-speed', 'aria-label': p.lang === 'zh' ? '播放速度' : 'Speed', change: (e: Event) => p.onPlay(Number((e.target as HTMLSelectElement).value)) },
    ...SPEEDS.map((s) => {
      const o = h('option', { value: s }, `${s}×`);
      o.selected = s === p.speed;
      return o;
    }),
  );
  const play = h('button', {
    type: 'button',
    class: 'time-play',
    click: () => (root.querySelector('.time-play')?.getAttribute('aria-pressed') === 'true' ? p.onPause() : p.onPlay(Number(speedSel.value))),
  });
  setPlayButton(play, p.playing, p.lang);
  // Space plays and pauses from anywhere in the bar (a presenter's clicker or a keyboard).
  root.onkeydown = (e) => {
    if (e.key === ' ' && !(e.target instanceof HTMLButtonElement)) {
      e.preventDefault();
      play.click();
    }
  };
  root.append(
    play,
    h('button', { type: 'button', class: 'time-step', title: '−24 h', click: step(-24) }, '«'),
    h('button', { type: 'button', class: 'time-step', title: '−1 h', click: step(-1) }, '‹'),
    slider,
    h('button', { type: 'button', class: 'time-step', title: '+1 h', click: step(1) }, '›'),
    h('button', { type: 'button', class: 'time-step', title: '+24 h', click: step(24) }, '»'),
    h('span', { class: 'time-label' }, formatClock(p.time, p.lang)),
    speedSel,
  );
}

function setPlayButton(b: HTMLButtonElement, playing: boolean, lang: Lang): void {
  b.setAttribute('aria-pressed', String(playing));
  b.textContent = playing ? '❚❚' : '▶';
  b.title = playing ? (lang === 'zh' ? '暂停' : 'Pause') : lang === 'zh' ? '播放' : 'Play';
}

export function formatClock(time: string, lang: Lang): string {
  const [date, hour] = time.split('T');
  return lang === 'zh' ? `${date} ${hour}:00（北京时间）` : `${date} ${hour}:00 CST`;
}
