/** What the running-query line shows, and the words of the restart notices (./queryStatus.ts). */
import { describe, expect, it } from 'vitest';
import type { EngineActivity } from '../engine/resilient';
import { SHOW_AFTER_MS, engineEventNotice, queryStatusView } from './queryStatus';

const idle: EngineActivity = { pending: 0, runningSince: null, runningKind: null, restarting: false, cancelling: false };

describe('queryStatusView', () => {
  it('stays hidden while nothing runs, and while a call is younger than 1.5 s (then looks again when it turns 1.5 s)', () => {
    expect(queryStatusView(idle, 1000, 'zh')).toMatchObject({ hidden: true, recheckMs: null });
    const v = queryStatusView({ ...idle, pending: 1, runningSince: 1000, runningKind: 'query' }, 1400, 'zh');
    expect(v.hidden).toBe(true);
    expect(v.recheckMs).toBe(SHOW_AFTER_MS - 400 + 10);
  });

  it('shows the running query with its seconds and a Cancel button, in both languages', () => {
    const a: EngineActivity = { ...idle, pending: 2, runningSince: 0, runningKind: 'query' };
    const zh = queryStatusView(a, 2300, 'zh');
    expect(zh).toMatchObject({ hidden: false, state: 'running', text: '查询运行中…', time: '2 秒' });
    expect(zh.button).toMatchObject({ hidden: false, disabled: false, label: '取消' });
    expect(zh.recheckMs).toBe(1000 - 300 + 10);
    const en = queryStatusView(a, 2300, 'en');
    expect(en).toMatchObject({ text: 'Query running…', time: '2 s' });
    expect(en.button.label).toBe('Cancel');
    expect(queryStatusView({ ...a, runningKind: 'load' }, 2300, 'zh').text).toBe('正在载入数据…');
  });

  it('disables the button once cancel is asked for', () => {
    const a: EngineActivity = { ...idle, pending: 1, runningSince: 0, runningKind: 'query' };
    expect(queryStatusView(a, 3000, 'zh', true).button).toMatchObject({ disabled: true, label: '正在取消…' });
    expect(queryStatusView({ ...a, cancelling: true }, 3000, 'en').button).toMatchObject({ disabled: true, label: 'Cancelling…' });
  });

  it('says the engine is restarting, without a button, whatever runs', () => {
    const v = queryStatusView({ ...idle, pending: 3, restarting: true }, 0, 'zh');
    expect(v).toMatchObject({ hidden: false, state: 'restarting', text: '正在重启数据引擎并重新载入数据…' });
    expect(v.button.hidden).toBe(true);
  });
});

describe('engineEventNotice', () => {
  it('words a death, a restart, a failed reload, a cancel and giving up, under one key', () => {
    const stopped = engineEventNotice({ kind: 'stopped', cause: 'died', reason: 'the database worker stopped' }, 'zh');
    expect(stopped).toMatchObject({ key: 'engine-restart', level: 'warning', lines: ['the database worker stopped'] });
    expect(stopped.title).toContain('正在自动重启');
    expect(engineEventNotice({ kind: 'stopped', cause: 'died', reason: 'x' }, 'en').title).toMatch(/^The data engine \(DuckDB worker\) stopped/);

    const ok = engineEventNotice({ kind: 'restarted', cause: 'died', ms: 4200, startMs: 3000, rebuilt: ['catalog:jinan__parks'], failed: [] }, 'zh');
    expect(ok).toMatchObject({ key: 'engine-restart', level: 'info', lines: [] });
    expect(ok.title).toBe('数据引擎已恢复（用时 4.2 秒）：数据已重新载入，中断的查询已重试。');

    const partly = engineEventNotice(
      { kind: 'restarted', cause: 'died', ms: 4200, startMs: 3000, rebuilt: [], failed: [{ key: 'air-import:1', error: 'boom' }, { key: 'catalog:jinan__parks', error: 'offline' }] },
      'en',
    );
    expect(partly.level).toBe('warning');
    expect(partly.lines).toEqual(['Could not reload the imported air-quality files: boom', 'Could not reload catalog data jinan__parks: offline']);

    const cancelled = engineEventNotice({ kind: 'stopped', cause: 'cancel', reason: 'x' }, 'zh');
    expect(cancelled).toMatchObject({ level: 'info', lines: [] });
    expect(cancelled.title).toContain('查询已取消');

    const gaveUp = engineEventNotice({ kind: 'restart-failed', error: 'stopped 4 times', gaveUp: true }, 'zh');
    expect(gaveUp).toMatchObject({ key: 'engine-restart', level: 'error', lines: ['stopped 4 times'] });
    expect(gaveUp.title).toContain('请刷新页面');
  });
});

describe('networkEventNotice', () => {
  it('says in the user language that the walking analysis stopped, came back, or gave up', async () => {
    const { networkEventNotice } = await import('./networkNotice');
    expect(networkEventNotice({ kind: 'stopped', cause: 'died', reason: 'gone' }, 'zh')).toMatchObject({ key: 'network-restart', level: 'warning', title: expect.stringContaining('步行分析线程意外停止'), lines: ['gone'] });
    expect(networkEventNotice({ kind: 'stopped', cause: 'unresponsive', reason: 'x' }, 'en').title).toMatch(/stopped answering/);
    expect(networkEventNotice({ kind: 'restarted', ms: 1234, reloaded: 'jinan', retried: 1 }, 'zh').title).toBe('步行分析已恢复（用时 1.2 秒），中断的计算已重新进行。');
    expect(networkEventNotice({ kind: 'restarted', ms: 200, reloaded: null, retried: 0 }, 'en')).toMatchObject({ level: 'info', title: 'The walking analysis is back (0.2 s).' });
    expect(networkEventNotice({ kind: 'restart-failed', error: 'stopped 4 times', gaveUp: true }, 'en')).toMatchObject({ level: 'error', lines: ['stopped 4 times'] });
  });
});
