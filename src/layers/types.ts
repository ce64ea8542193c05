import type { Layer } from '@deck.gl/core';
import type { Table } from 'apache-arrow';
import type { CityDef, LayerDef } from '../catalog/types';
import type { AppState, Lang } from '../state/types';
import type { BaseTheme } from '../map/theme';

export type RGBA = [number, number, number, number];

export interface LegendItem {
  color: RGBA;
  label: string;
  shape?: 'square' | 'circle' | 'line';
}

export interface Legend {
  title: string;
  items: LegendItem[];
  /** E.g. "colours follow HJ 633-2012" or "interpolated". */
  note?: string;
  /** A line that follows the clock (time and counts now). Updated in place, never a reason to rebuild a panel. */
  live?: string;
}

export interface LayerContext {
  city: CityDef;
  def: LayerDef;
  /** dataset id → DuckDB table name for this city. */
  tables: Record<string, string>;
  state: AppState;
  lang: Lang;
  theme: BaseTheme;
  /** Multiplier for pixel sizes (text, markers): 2 on a 4K screen at 1:1. */
  scale: number;
}

export interface QuerySpec {
  sql: string;
  params?: unknown[];
}

export type RunQuery = (q: QuerySpec) => Promise<Table>;

/** Rows of a tooltip or inspector: plain strings, always rendered as text. */
export interface Description {
  title: string;
  subtitle?: string;
  rows: [string, string][];
}

/**
 * One module per layer kind. `load` is the only place that touches data (SQL
 * through the engine); `render` is a pure function from loaded data and state
 * to cheap deck.gl layer descriptors with stable ids, so toggling a layer or
 * changing the language never re-queries.
 */
export interface LayerModule<D = unknown> {
  kind: string;
  /** Changes exactly when `load` must run again (city, clock hour, …). */
  dataKey(ctx: LayerContext): string;
  load(ctx: LayerContext, query: RunQuery): Promise<D>;
  render(data: D, ctx: LayerContext, visible: boolean): Layer[];
  legend(data: D | null, ctx: LayerContext): Legend;
  describe(object: unknown, ctx: LayerContext): Description | null;
  /** A stable id for an object, for selection in the URL. */
  objectId?(object: unknown): string | null;
  /** The object with that id, to restore a selection from the URL. */
  findObject?(data: D, id: string): unknown;
}
