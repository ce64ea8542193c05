/**
 * The story editor: a side sheet in which a planner builds a presenter
 * story from the live map. Save the current view as a slide, reorder, title
 * and caption slides in both languages, start from a city's shipped story,
 * export and import the story JSON, and present it.
 *
 * It is a non-modal dialog (the planner keeps moving the map to set up the
 * next view): focus moves into it on open and back on close, Esc closes it.
 * Every change is saved as a draft in localStorage (storyDraft.ts). All text
 * a planner types or a file brings is put in the page as text nodes (h()).
 */
import './editor.css';
import { decodeText } from '../../import/encoding';
import type { AppState, Lang, ViewState } from '../../state/types';
import { append, clear, h } from '../../ui/dom';
import type { Slide, Story, Text } from './story';
import { STORY_LIMITS } from './validateStory';
import {
  DEFAULT_DURATION,
  addSlide,
  completeTexts,
  exportStory,
  importStory,
  loadDraft,
  moveSlide,
  newStory,
  nextSlideId,
  removeSlide,
  saveDraft,
  slideFromState,
  storyGaps,
  updateSlide,
  type DraftStorage,
  type KnownIds,
} from './storyDraft';

export interface StoryEditorParams {
  lang: Lang;
  state: () => AppState;
  view: () => ViewState;
  known: KnownIds;
  /** Load a shipped story (data/stories/<city>.json) to start from; null when the city has none. */
  shipped: (city: string) => Promise<Story | null>;
  /** Preview a slide on the map. */
  onShowSlide: (slide: Slide) => void;
  onPresent: (story: Story) => void;
  /** Optional: a city's name in the editor's language for the slide rows (default: the city id). */
  cityName?: (city: string) => string;
  /** Optional: where the draft lives (default: localStorage; tests pass a fake). */
  storage?: DraftStorage | null;
}

const S = {
  heading: { zh: '故事编辑器', en: 'Story editor' },
  close: { zh: '关闭', en: 'Close' },
  autosave: { zh: '所有更改自动保存在本浏览器中。', en: 'Changes are saved automatically in this browser.' },
  storyTitle: { zh: '故事标题', en: 'Story title' },
  zh: { zh: '中文', en: 'Chinese' },
  en: { zh: '英文', en: 'English' },
  saveView: { zh: '把当前视图存为幻灯片', en: 'Save current view as a slide' },
  slides: { zh: '幻灯片', en: 'Slides' },
  empty: {
    zh: '还没有幻灯片。在地图上选好城市、图层、时间和视角，再点击“把当前视图存为幻灯片”。',
    en: 'No slides yet. Set up the city, layers, time and camera on the map, then choose “Save current view as a slide”.',
  },
  showHint: { zh: '在地图上显示', en: 'Show on the map' },
  up: { zh: '上移', en: 'Move up' },
  down: { zh: '下移', en: 'Move down' },
  remove: { zh: '删除', en: 'Delete' },
  untitled: { zh: '（无标题）', en: '(untitled)' },
  noTime: { zh: '时间不变', en: 'clock unchanged' },
  slideTitle: { zh: '标题', en: 'Title' },
  caption: { zh: '说明文字', en: 'Caption' },
  duration: { zh: '自动播放时长（秒）', en: 'Kiosk duration (seconds)' },
  durationBad: { zh: '请输入 3–600 之间的整数秒数。', en: 'Enter a whole number of seconds, 3–600.' },
  recapture: { zh: '用当前视图替换此幻灯片的地图', en: 'Replace this slide’s map with the current view' },
  kpis: { zh: '此幻灯片的指标保留不变（编辑器不修改指标）。', en: 'This slide’s figures are kept as they are (the editor does not change figures).' },
  story: { zh: '故事', en: 'Story' },
  startShipped: { zh: '从本市预置故事开始', en: 'Start from the city’s story' },
  newStory: { zh: '新建空白故事', en: 'New empty story' },
  importBtn: { zh: '导入 JSON', en: 'Import JSON' },
  exportBtn: { zh: '导出 JSON', en: 'Export JSON' },
  present: { zh: '开始演示', en: 'Present' },
  undo: { zh: '撤销', en: 'Undo' },
  dismiss: { zh: '知道了', en: 'Dismiss' },
  loading: { zh: '正在载入…', en: 'Loading…' },
  noShipped: { zh: '本市没有预置故事。', en: 'This city has no shipped story.' },
  shippedFailed: { zh: '无法载入本市的预置故事。', en: 'The city’s story could not be loaded.' },
  importBad: {
    zh: '无法导入此文件，故事未作任何更改。问题如下（英文）：',
    en: 'The file could not be imported; nothing was changed. Problems:',
  },
  importFixed: {
    zh: '以下部分已被调整或忽略（英文说明）：',
    en: 'These parts were adjusted or left out:',
  },
  tooLarge: { zh: '文件过大（上限 2 MB），未导入。', en: 'The file is too large (limit 2 MB); nothing was imported.' },
  readFailed: { zh: '无法读取该文件，未导入。', en: 'The file could not be read; nothing was imported.' },
  notSaved: {
    zh: '草稿无法保存到本浏览器（存储不可用或已满）。请导出 JSON 以免丢失。',
    en: 'The draft could not be saved in this browser (storage unavailable or full). Export the JSON to keep it.',
  },
  gapsHead: { zh: '导出前请补全以下内容（每项至少填写一种语言）：', en: 'Fill these in before exporting (at least one language each):' },
  gapStoryTitle: { zh: '故事标题为空', en: 'The story title is empty' },
  gapSlides: { zh: '故事还没有幻灯片', en: 'The story has no slides yet' },
  exportBad: { zh: '导出的文件未通过检查，未导出。问题如下（英文）：', en: 'The file did not pass the check and was not exported. Problems:' },
  moreProblems: { zh: '另有 {n} 个问题未列出。', en: '{n} more problems not listed.' },
} as const;

type Key = keyof typeof S;

/** Files larger than this are refused unread: a story is a few kB. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Problems listed after an import; the rest are counted. */
const MAX_PROBLEMS = 30;

let editorCounter = 0;

/** 'YYYY-MM-DDTHH' (China Standard Time) → 'YYYY-MM-DD HH:00'. */
const clockText = (c: string) => `${c.slice(0, 10)} ${c.slice(11, 13)}:00`;

/** A file-name-safe form of the story id. */
const fileId = (id: string) => id.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'draft';

/**
 * Open the editor in `host` (one at a time: opening again closes the open
 * one). It starts from the saved draft, or an empty story about the current
 * city.
 */
export function openStoryEditor(host: HTMLElement, p: StoryEditorParams): { close(): void } {
  host.querySelector('.story-editor')?.dispatchEvent(new CustomEvent('story-editor-close'));
  const lang = p.lang;
  const tr = (k: Key) => S[k][lang];
  const txt = (t: Text) => t[lang] || t[lang === 'zh' ? 'en' : 'zh'];
  const cityName = (c: string) => {
    try {
      return p.cityName?.(c) || c;
    } catch {
      return c;
    }
  };
  const uid = `story-ed-${++editorCounter}`;
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const storage = p.storage === undefined ? undefined : p.storage;
  const save = (s: Story) => (storage === undefined ? saveDraft(s) : saveDraft(s, storage));
  const load = () => (storage === undefined ? loadDraft(p.known) : loadDraft(p.known, storage));

  const defaultTitle = (): Text => ({ zh: '新故事', en: 'New story' });
  let story: Story = load() ?? newStory(p.state().city, defaultTitle());
  let selectedId: string | null = story.slides[0]?.id ?? null;
  let undoTo: { story: Story; selectedId: string | null } | null = null;
  let closed = false;
  let busy = false;

  // ── story title ──
  const textField = (label: string, id: string, l: Lang, multiline: boolean, onInput: (v: string) => void) => {
    const input = multiline
      ? h('textarea', { id, class: 'se-input se-textarea', rows: 3, lang: l === 'zh' ? 'zh-CN' : 'en', maxlength: STORY_LIMITS.caption })
      : h('input', { id, type: 'text', class: 'se-input', lang: l === 'zh' ? 'zh-CN' : 'en', maxlength: STORY_LIMITS.title });
    input.addEventListener('input', () => onInput(input.value));
    const field = h('div', { class: 'se-field' }, h('label', { for: id, class: 'se-label' }, label), input);
    return { field, input };
  };
  const storyTitleZh = textField(tr('zh'), `${uid}-title-zh`, 'zh', false, (v) => commit({ ...story, title: { ...story.title, zh: v } }, { list: false }));
  const storyTitleEn = textField(tr('en'), `${uid}-title-en`, 'en', false, (v) => commit({ ...story, title: { ...story.title, en: v } }, { list: false }));
  const fillStoryTitle = () => {
    storyTitleZh.input.value = story.title.zh;
    storyTitleEn.input.value = story.title.en;
  };

  // ── slide list ──
  const saveViewBtn = h('button', { type: 'button', class: 'se-btn se-primary' }, '＋ ', tr('saveView'));
  const listHeadId = `${uid}-slides`;
  const list = h('ol', { class: 'se-list', 'aria-labelledby': listHeadId });
  const emptyNote = h('p', { class: 'se-empty' }, tr('empty'));

  // ── the selected slide ──
  const slideBox = h('fieldset', { class: 'se-slide' });

  // ── story actions ──
  const shippedBtn = h('button', { type: 'button', class: 'se-btn' }, tr('startShipped'));
  const newBtn = h('button', { type: 'button', class: 'se-btn' }, tr('newStory'));
  const fileInput = h('input', { type: 'file', accept: '.json,application/json', class: 'se-file', tabindex: -1, 'aria-hidden': 'true' });
  const importBtn = h('button', { type: 'button', class: 'se-btn' }, tr('importBtn'));
  const exportBtn = h('button', { type: 'button', class: 'se-btn' }, tr('exportBtn'));
  const presentBtn = h('button', { type: 'button', class: 'se-btn se-primary se-present' }, '▶ ', tr('present'));
  const status = h('div', { class: 'se-status', role: 'status', 'aria-live': 'polite' });
  const saveWarning = h('p', { class: 'se-warning', role: 'alert' });
  saveWarning.hidden = true;

  const titleId = `${uid}-heading`;
  const closeBtn = h('button', { type: 'button', class: 'icon-btn se-x', 'aria-label': tr('close'), title: tr('close') }, '×');
  const sheet = h(
    'section',
    { class: 'story-editor panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': titleId, tabindex: -1 },
    h('div', { class: 'se-head' }, h('h2', { class: 'se-heading', id: titleId }, tr('heading')), closeBtn),
    h(
      'div',
      { class: 'se-body' },
      h('p', { class: 'se-help' }, tr('autosave')),
      saveWarning,
      h('fieldset', { class: 'se-group' }, h('legend', { class: 'se-legend' }, tr('storyTitle')), h('div', { class: 'se-pair' }, storyTitleZh.field, storyTitleEn.field)),
      saveViewBtn,
      h('h3', { class: 'se-sub', id: listHeadId }, tr('slides')),
      emptyNote,
      list,
      slideBox,
      h('h3', { class: 'se-sub' }, tr('story')),
      h('div', { class: 'se-actions' }, shippedBtn, newBtn),
    ),
    // Always in view: what just happened (import problems, undo) and the file and present actions.
    h('div', { class: 'se-foot' }, status, h('div', { class: 'se-foot-row' }, importBtn, exportBtn, fileInput, presentBtn)),
  );

  // ── rendering ──
  const slideIndex = (id: string | null) => (id === null ? -1 : story.slides.findIndex((s) => s.id === id));
  const selected = () => story.slides[slideIndex(selectedId)] ?? null;

  function rowOf(slide: Slide, i: number): HTMLLIElement {
    const n = story.slides.length;
    const name = txt(slide.title).trim() || tr('untitled');
    const meta = [cityName(slide.city), slide.time ? clockText(slide.time) : tr('noTime'), `${slide.duration ?? DEFAULT_DURATION} s`].join(' · ');
    const isSel = slide.id === selectedId;
    const main = h(
      'button',
      { type: 'button', class: 'se-row-main', 'data-id': slide.id, 'data-act': 'show', title: tr('showHint'), 'aria-pressed': String(isSel) },
      h('span', { class: 'se-num' }, String(i + 1)),
      h('span', { class: 'se-row-text' }, h('span', { class: 'se-row-title' }, name), h('span', { class: 'se-row-meta' }, meta)),
    );
    main.addEventListener('click', () => select(slide.id, true));
    const tool = (act: 'up' | 'down' | 'remove', glyph: string, label: Key, disabled: boolean, run: () => void) => {
      const b = h('button', { type: 'button', class: `se-tool se-${act}`, 'data-id': slide.id, 'data-act': act, 'aria-label': `${tr(label)}: ${i + 1}. ${name}`, title: tr(label), disabled }, glyph);
      b.addEventListener('click', run);
      return b;
    };
    return h(
      'li',
      { class: isSel ? 'se-row se-selected' : 'se-row', 'aria-current': isSel ? 'true' : undefined },
      main,
      tool('up', '↑', 'up', i === 0, () => move(slide.id, -1)),
      tool('down', '↓', 'down', i === n - 1, () => move(slide.id, 1)),
      tool('remove', '✕', 'remove', false, () => remove(slide.id)),
    );
  }

  function renderList(): void {
    clear(list);
    story.slides.forEach((s, i) => list.append(rowOf(s, i)));
    emptyNote.hidden = story.slides.length > 0;
    list.hidden = story.slides.length === 0;
    const none = story.slides.length === 0;
    exportBtn.disabled = none || busy;
    presentBtn.disabled = none;
  }

  /** The fields of the selected slide; rebuilt only when the selection changes, so typing keeps its place. */
  function renderSlideBox(): void {
    clear(slideBox);
    const slide = selected();
    slideBox.hidden = !slide;
    if (!slide) return;
    const id = slide.id;
    const num = slideIndex(id) + 1;
    const patchText = (key: 'title' | 'caption', l: Lang) => (v: string) => {
      const cur = story.slides.find((s) => s.id === id);
      if (!cur) return;
      const text: Text = { ...cur[key], [l]: v };
      commit(updateSlide(story, id, key === 'title' ? { title: text } : { caption: text }));
    };
    const tZh = textField(`${tr('slideTitle')} · ${tr('zh')}`, `${uid}-s-title-zh`, 'zh', false, patchText('title', 'zh'));
    const tEn = textField(`${tr('slideTitle')} · ${tr('en')}`, `${uid}-s-title-en`, 'en', false, patchText('title', 'en'));
    const cZh = textField(`${tr('caption')} · ${tr('zh')}`, `${uid}-s-cap-zh`, 'zh', true, patchText('caption', 'zh'));
    const cEn = textField(`${tr('caption')} · ${tr('en')}`, `${uid}-s-cap-en`, 'en', true, patchText('caption', 'en'));
    tZh.input.value = slide.title.zh;
    tEn.input.value = slide.title.en;
    cZh.input.value = slide.caption.zh;
    cEn.input.value = slide.caption.en;

    const durId = `${uid}-s-dur`;
    const durHelpId = `${uid}-s-dur-help`;
    const dur = h('input', { id: durId, type: 'number', class: 'se-input se-num-input', min: 3, max: 600, step: 1, inputmode: 'numeric', 'aria-describedby': durHelpId });
    dur.value = String(slide.duration ?? DEFAULT_DURATION);
    const durHelp = h('span', { class: 'se-field-error', id: durHelpId });
    const onDur = () => {
      const v = Number(dur.value);
      const ok = dur.value.trim() !== '' && Number.isInteger(v) && v >= 3 && v <= 600;
      dur.setAttribute('aria-invalid', String(!ok));
      durHelp.textContent = ok ? '' : tr('durationBad');
      if (ok && story.slides.find((s) => s.id === id)?.duration !== v) commit(updateSlide(story, id, { duration: v }));
    };
    dur.addEventListener('input', onDur);
    dur.addEventListener('change', onDur);

    const recapture = h('button', { type: 'button', class: 'se-btn' }, tr('recapture'));
    recapture.addEventListener('click', () => {
      const cur = story.slides.find((s) => s.id === id);
      if (!cur) return;
      const fresh = slideFromState(p.state(), p.view(), id);
      const next = updateSlide(story, id, { city: fresh.city, camera: fresh.camera, layers: fresh.layers, settings: fresh.settings, time: fresh.time });
      commit(next, { undo: true });
    });

    append(slideBox, [
      h('legend', { class: 'se-legend' }, lang === 'zh' ? `编辑第 ${num} 张幻灯片` : `Edit slide ${num}`),
      h('div', { class: 'se-pair' }, tZh.field, tEn.field),
      cZh.field,
      cEn.field,
      h('div', { class: 'se-field se-dur' }, h('label', { for: durId, class: 'se-label' }, tr('duration')), dur, durHelp),
      slide.kpis.length ? h('p', { class: 'se-help' }, tr('kpis')) : null,
      recapture,
    ]);
  }

  function renderAll(): void {
    fillStoryTitle();
    renderList();
    renderSlideBox();
  }

  /** Put focus back on a row's control after the list was redrawn (the moved or next row). */
  function focusRow(id: string | null, act: string): void {
    if (id === null) {
      saveViewBtn.focus();
      return;
    }
    const q = (a: string) => list.querySelector<HTMLButtonElement>(`button[data-act="${a}"][data-id="${CSS.escape(id)}"]`);
    const b = q(act);
    if (b && !b.disabled) b.focus();
    else (q(act === 'up' ? 'down' : act === 'down' ? 'up' : 'show') ?? q('show'))?.focus();
  }

  /** `problems` are the validator's English lines unless `problemsLang` says otherwise. */
  function setStatus(message: string | null, opts: { undo?: boolean; problems?: string[]; problemsLang?: Lang; error?: boolean } = {}): void {
    clear(status);
    status.classList.toggle('se-status-error', !!opts.error);
    if (!message) return;
    const line = h('p', { class: 'se-status-line' }, message);
    if (opts.undo && undoTo) {
      const u = h('button', { type: 'button', class: 'se-link' }, tr('undo'));
      u.addEventListener('click', undo);
      line.append(' ', u);
    }
    if (opts.error || opts.problems?.length) {
      const x = h('button', { type: 'button', class: 'se-link', 'aria-label': tr('dismiss') }, tr('dismiss'));
      x.addEventListener('click', () => {
        setStatus(null);
        saveViewBtn.focus();
      });
      line.append(' ', x);
    }
    status.append(line);
    if (opts.problems?.length) {
      const shown = opts.problems.slice(0, MAX_PROBLEMS);
      // The validator's problems are English; mark them so, whatever the UI language.
      const l = opts.problemsLang ?? 'en';
      status.append(h('ul', { class: 'se-problems', lang: l === 'zh' ? 'zh-CN' : 'en' }, ...shown.map((m) => h('li', {}, m))));
      if (opts.problems.length > shown.length) status.append(h('p', { class: 'se-help' }, tr('moreProblems').replace('{n}', String(opts.problems.length - shown.length))));
    }
  }

  // ── changes ──

  /**
   * Make `next` the story and save the draft. `undo`: remember the story
   * before, for the Undo link. `list: false` skips redrawing the rows (the
   * story title changed). The selected slide's fields are not rebuilt.
   */
  function commit(next: Story, opts: { undo?: boolean; list?: boolean } = {}): void {
    if (next === story) return;
    if (opts.undo) undoTo = { story, selectedId };
    story = next;
    if (slideIndex(selectedId) < 0) selectedId = null;
    if (opts.list !== false) renderList();
    const ok = save(story);
    saveWarning.hidden = ok;
    saveWarning.textContent = ok ? '' : tr('notSaved');
  }

  /** Replace the whole story (shipped, imported, new); undoable. */
  function replace(next: Story, message: string, problems?: string[]): void {
    commit(next, { undo: true, list: false });
    selectedId = story.slides[0]?.id ?? null;
    renderAll();
    setStatus(message, { undo: true, problems });
  }

  function undo(): void {
    if (!undoTo) return;
    const back = undoTo;
    undoTo = null;
    story = back.story;
    selectedId = slideIndex(back.selectedId) >= 0 ? back.selectedId : (story.slides[0]?.id ?? null);
    const ok = save(story);
    saveWarning.hidden = ok;
    saveWarning.textContent = ok ? '' : tr('notSaved');
    renderAll();
    setStatus(null);
    focusRow(selectedId, 'show');
  }

  function select(id: string, show: boolean): void {
    const slide = story.slides.find((s) => s.id === id);
    if (!slide) return;
    const changed = selectedId !== id;
    selectedId = id;
    if (changed) {
      renderList();
      renderSlideBox();
      focusRow(id, 'show');
    }
    if (show) p.onShowSlide(slide);
  }

  function move(id: string, delta: number): void {
    commit(moveSlide(story, id, delta));
    renderSlideBox(); // its legend carries the slide number
    focusRow(id, delta < 0 ? 'up' : 'down');
  }

  function remove(id: string): void {
    const i = slideIndex(id);
    const slide = story.slides[i];
    if (!slide) return;
    const name = txt(slide.title).trim() || tr('untitled');
    const wasSelected = selectedId === id;
    commit(removeSlide(story, id), { undo: true });
    const neighbour = story.slides[Math.min(i, story.slides.length - 1)] ?? null;
    if (wasSelected) selectedId = neighbour?.id ?? null;
    renderList();
    renderSlideBox();
    setStatus(lang === 'zh' ? `已删除第 ${i + 1} 张幻灯片“${name}”。` : `Deleted slide ${i + 1}, “${name}”.`, { undo: true });
    focusRow(neighbour?.id ?? null, 'remove');
  }

  saveViewBtn.addEventListener('click', () => {
    const at = selectedId === null ? story.slides.length : slideIndex(selectedId) + 1;
    const n = at + 1;
    const slide = slideFromState(p.state(), p.view(), nextSlideId(story), { zh: `第 ${n} 张`, en: `Slide ${n}` });
    commit(addSlide(story, slide, at));
    selectedId = slide.id;
    renderList();
    renderSlideBox();
    list.querySelector('.se-selected')?.scrollIntoView({ block: 'nearest' });
    setStatus(lang === 'zh' ? `已保存为第 ${n} 张幻灯片。` : `Saved as slide ${n}.`);
  });

  shippedBtn.addEventListener('click', async () => {
    if (busy) return;
    const city = p.state().city;
    busy = true;
    shippedBtn.disabled = true;
    sheet.setAttribute('aria-busy', 'true');
    setStatus(tr('loading'));
    let loaded: Story | null = null;
    let failed = false;
    try {
      loaded = await p.shipped(city);
    } catch {
      failed = true;
    }
    busy = false;
    if (closed) return;
    shippedBtn.disabled = false;
    sheet.removeAttribute('aria-busy');
    if (failed) return setStatus(tr('shippedFailed'), { error: true });
    if (!loaded) return setStatus(tr('noShipped'));
    // A copy: edits must never reach the app's cached shipped story.
    const copy = JSON.parse(JSON.stringify(loaded)) as Story;
    const n = copy.slides.length;
    replace(copy, lang === 'zh' ? `已载入${cityName(city)}的预置故事（${n} 张幻灯片）。` : `Loaded ${cityName(city)}’s story (${n} slide${n === 1 ? '' : 's'}).`);
  });

  newBtn.addEventListener('click', () => {
    replace(newStory(p.state().city, defaultTitle()), lang === 'zh' ? '已新建空白故事。' : 'Started a new empty story.');
    storyTitleZh.input.focus();
  });

  importBtn.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    fileInput.value = ''; // the same file can be chosen again
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) return setStatus(tr('tooLarge'), { error: true });
    let text: string;
    try {
      text = decodeText(new Uint8Array(await file.arrayBuffer())).text;
    } catch (err) {
      if (closed) return;
      return setStatus(tr('readFailed'), { error: true, problems: err instanceof Error ? [err.message] : undefined });
    }
    if (closed) return;
    const result = importStory(text, p.known);
    if (!result.story) {
      setStatus(tr('importBad'), { error: true, problems: result.problems.length ? result.problems : ['(file): not a story'] });
      importBtn.focus();
      return;
    }
    const n = result.story.slides.length;
    const done = lang === 'zh' ? `已导入“${file.name}”（${n} 张幻灯片）。` : `Imported “${file.name}” (${n} slide${n === 1 ? '' : 's'}).`;
    replace(result.story, result.problems.length ? `${done} ${tr('importFixed')}` : done, result.problems);
    importBtn.focus();
  });

  exportBtn.addEventListener('click', () => {
    const gaps = storyGaps(story);
    if (gaps.length) {
      const lines = gaps.map((g) => {
        if (g.slide === null) return tr(g.field === 'slides' ? 'gapSlides' : 'gapStoryTitle');
        const n = g.slide + 1;
        const what = g.field === 'title' ? tr('slideTitle') : tr('caption');
        return lang === 'zh' ? `第 ${n} 张幻灯片：${what}为空` : `Slide ${n}: the ${what.toLowerCase()} is empty`;
      });
      setStatus(tr('gapsHead'), { error: true, problems: lines, problemsLang: lang });
      return;
    }
    const out = completeTexts(story);
    const text = exportStory(out);
    // The file must load where it goes: check it as an import would.
    const check = importStory(text, p.known);
    if (!check.story || check.story.slides.length !== out.slides.length) {
      setStatus(tr('exportBad'), { error: true, problems: check.problems });
      return;
    }
    const name = `story-${fileId(story.id)}.json`;
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = h('a', { href: url, download: name, class: 'se-file' });
    sheet.append(a);
    a.click();
    a.remove();
    // Revoke once the download has had time to start (an immediate revoke can cancel it in some browsers).
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setStatus(lang === 'zh' ? `已导出 ${name}。` : `Exported ${name}.`);
  });

  presentBtn.addEventListener('click', () => {
    // As exported: a text written in one language shows in both.
    if (story.slides.length) p.onPresent(completeTexts(story));
  });

  // ── dialog plumbing: Esc, close, return focus ──
  sheet.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    e.stopPropagation();
    close();
  });
  closeBtn.addEventListener('click', () => close());
  sheet.addEventListener('story-editor-close', () => close());

  function close(): void {
    if (closed) return;
    closed = true;
    sheet.remove();
    if (opener && opener.isConnected) opener.focus();
  }

  renderAll();
  host.append(sheet);
  saveViewBtn.focus();
  return { close };
}
