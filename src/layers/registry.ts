import { airLayer } from './air';
import { lifeCircleLayer } from './lifecircle';
import { parksLayer } from './parks';
import { parkCoverageLayer } from './parkCoverage';
import { restorationLayer } from './restoration';
import type { LayerModule } from './types';

/** Layer kinds the catalog may name. A catalog layer with an unknown kind is reported, not drawn. */
export const LAYER_MODULES: Record<string, LayerModule<any>> = {
  [parksLayer.kind]: parksLayer,
  [restorationLayer.kind]: restorationLayer,
  [airLayer.kind]: airLayer,
  [lifeCircleLayer.kind]: lifeCircleLayer,
  [parkCoverageLayer.kind]: parkCoverageLayer,
};

/** Draw order, bottom to top: area layers under point layers. */
export const DRAW_ORDER = ['lifecircle', 'parkcoverage', 'parks', 'restoration', 'air'];
