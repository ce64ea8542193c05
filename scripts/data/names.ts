/**
 * Invented but plausible Chinese place names for modelled features. They
 * combine common place-name characters; any match with a real place is
 * accidental. Each generator is driven by the caller's seeded Rng.
 */
import type { Rng } from './prng.ts';

const FIRST = [...'东西南北金银翠青碧云凤龙桃梅柳松竹兰荷明光和平安华新清泉星月阳文德福瑞祥锦玉白红紫丹春秋长永兴嘉宁康乐湖海山石沙林榕樟桂杏枫芙蓉'];
const SECOND = [...'园林湖溪湾岭苑庭港塘洲桥岗坪峰泉川坊里城台亭河源堤田埔湖庄'];
const HILL_FIRST = [
  '卧虎', '凤凰', '马鞍', '金鸡', '华盖', '玉屏', '龙洞', '蟠龙', '白云', '青龙', '燕翅', '黄石', '狮子', '鹰嘴', '象鼻',
  '笔架', '双峰', '旗杆', '虎头', '莲花', '梨园', '棋盘', '牛角', '鸡鸣', '锦屏', '翠屏', '佛光', '紫云', '望海', '回龙',
  '凤鸣', '龙泉', '石门', '羊角', '蝴蝶', '卧牛', '仙人', '玉皇', '老君', '灵岩',
];
const HILL_SUFFIX = ['山', '岭', '顶', '峰'];

/** Short form of a district name for labels: 福田区 → 福田, 即墨区 → 即墨, 象山县 → 象山. */
export function shortDistrict(name: string): string {
  const s = name.replace(/(新区|区|县|市)$/u, '');
  return s.length >= 2 ? s : name;
}

export class NameMaker {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}

  place(): string {
    for (let k = 0; k < 50; k++) {
      const a = this.rng.pick(FIRST);
      const b = this.rng.pick(SECOND);
      if (a !== b) return a + b;
    }
    return '新园';
  }

  hill(): string {
    for (let k = 0; k < 200; k++) {
      const n = this.rng.chance(0.7) ? this.rng.pick(HILL_FIRST) + this.rng.pick(HILL_SUFFIX) : `${this.rng.pick(FIRST)}山`;
      if (!this.used.has(`hill:${n}`)) {
        this.used.add(`hill:${n}`);
        return n;
      }
    }
    return `${this.rng.pick(FIRST)}${this.rng.pick(FIRST)}山`;
  }

  /** Makes `name` unique among names given so far (adds 二期, 三期 … when needed). */
  unique(name: string): string {
    if (!this.used.has(name)) {
      this.used.add(name);
      return name;
    }
    const phases = ['二期', '三期', '四期', '五期', '六期', '七期', '八期', '九期'];
    for (const p of phases) {
      const n = name + p;
      if (!this.used.has(n)) {
        this.used.add(n);
        return n;
      }
    }
    let k = 10;
    while (this.used.has(`${name}${k}`)) k++;
    this.used.add(`${name}${k}`);
    return `${name}${k}`;
  }
}
