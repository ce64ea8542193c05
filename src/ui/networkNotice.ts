/**
 * What the planner is told when the walking-network worker (isochrones,
 * added-facility scenarios) stops and comes back, in their language. Shown
 * with ./notices.ts under one key, so each notice replaces the one before.
 */
import type { NetworkEvent } from '../analysis/network/client';
import type { Lang } from '../state/types';
import type { EngineNotice } from './queryStatus';

export function networkEventNotice(event: NetworkEvent, lang: Lang): EngineNotice {
  const key = 'network-restart';
  const zh = lang === 'zh';
  switch (event.kind) {
    case 'stopped':
      return {
        key,
        level: 'warning',
        title:
          event.cause === 'unresponsive'
            ? zh
              ? '步行分析线程长时间无响应，正在重启……'
              : 'The walking analysis stopped answering; restarting it…'
            : zh
              ? '步行分析线程意外停止，正在自动重启……'
              : 'The walking analysis stopped unexpectedly; restarting it…',
        lines: [event.reason],
      };
    case 'restarted': {
      const s = (event.ms / 1000).toFixed(1);
      return {
        key,
        level: 'info',
        title: zh
          ? `步行分析已恢复（用时 ${s} 秒）${event.retried ? '，中断的计算已重新进行' : ''}。`
          : `The walking analysis is back (${s} s)${event.retried ? '; the interrupted calculation was run again' : ''}.`,
        lines: [],
      };
    }
    case 'restart-failed':
      return {
        key,
        level: 'error',
        title: zh
          ? '步行分析线程反复停止，已不再重启。请刷新页面；其他图层不受影响。'
          : 'The walking analysis keeps stopping and is not restarted again. Reload the page; the other layers are unaffected.',
        lines: [event.error],
      };
  }
}
