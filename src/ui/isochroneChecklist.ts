/**
 * What a clicked point can reach on foot, tier by tier (GB 50180-2018): for
 * each required facility type, a tick or a cross and the walking distance to
 * the nearest one. Rules come from src/standards/lifeCircle.ts only.
 */
import type { IsochroneResult } from '../analysis/network/protocol';
import { formatNumber } from '../i18n';
import type { Description } from '../layers/types';
import type { Lang } from '../state/types';
import { TIERS, tierDistance, typesRequiredFor, type TierId } from '../standards/lifeCircle';

/** What the checklist stands on: which inputs are modelled, and the planner's facility table when it replaces the city's. */
export interface ChecklistSources {
  network: boolean;
  facilities: boolean;
  facilitiesFrom?: string;
}

function sourcesNote(m: ChecklistSources, zh: boolean): string {
  const own = m.facilitiesFrom ? (zh ? `；设施来自你的数据“${m.facilitiesFrom}”` : `; facilities from your data “${m.facilitiesFrom}”`) : '';
  if (m.network && m.facilities) return zh ? '；步行网络和设施为模拟数据' : '; network and facilities are modelled';
  if (m.network) return (zh ? '；步行网络为模拟数据' : '; the network is modelled') + own;
  if (m.facilities) return zh ? '；设施为模拟数据' : '; facilities are modelled';
  return own;
}

export function isochroneDescription(r: IsochroneResult, lang: Lang, modelled: ChecklistSources, overrides?: Partial<Record<TierId, number>>): Description {
  const zh = lang === 'zh';
  if (!r.snap) {
    return {
      title: zh ? '步行生活圈' : 'Walking life circle',
      subtitle: zh ? '此处附近 250 米内没有步行网络，无法沿街计算' : 'No walkable street within 250 m of this point: nothing to walk along',
      rows: [[zh ? '提示' : 'Tip', zh ? '请点击街道或居住区附近' : 'Click near a street or a residential area']],
    };
  }
  const byType = new Map(r.nearest.map((n) => [n.type, n]));
  const rows: [string, string][] = [];
  for (const tier of TIERS) {
    const limit = tierDistance(tier.id, overrides);
    const required = typesRequiredFor(tier.id);
    const ok = required.filter((t) => {
      const d = byType.get(t.id)?.distM;
      return d !== null && d !== undefined && d <= limit;
    });
    rows.push([zh ? `${tier.name.zh}（${formatNumber(limit, lang)} m）` : `${tier.name.en} (${formatNumber(limit, lang)} m)`, zh ? `${ok.length}/${required.length} 类可达${ok.length === required.length ? ' ✓ 完整' : ''}` : `${ok.length}/${required.length} types${ok.length === required.length ? ' ✓ complete' : ''}`]);
    // The tier's own types; lower tiers' types are listed under their own tier.
    for (const t of required.filter((x) => x.tier === tier.id)) {
      const n = byType.get(t.id);
      const d = n?.distM ?? null;
      const reach = d !== null && d <= limit;
      rows.push([
        `${reach ? '✓' : '✗'} ${t.name[lang]}`,
        d === null ? (zh ? `${formatNumber(limit, lang)} m 内没有` : `none within ${formatNumber(limit, lang)} m`) : `${formatNumber(Math.round(d), lang)} m${n?.name ? ` · ${n.name}` : ''}`,
      ]);
    }
  }
  return {
    title: overrides
      ? zh ? '步行生活圈（沿步行网络，自定距离）' : 'Walking life circle (along the network, custom distances)'
      : zh ? '步行生活圈（沿步行网络，每分钟 60 米）' : 'Walking life circle (along the network, 60 m/min)',
    subtitle:
      (zh ? `已吸附到最近的街道（距点击处 ${formatNumber(Math.round(r.snap.offsetM), lang)} m）` : `Snapped to the nearest street (${formatNumber(Math.round(r.snap.offsetM), lang)} m from the click)`) +
      sourcesNote(modelled, zh),
    rows,
  };
}
