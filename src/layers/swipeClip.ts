import { LayerExtension } from '@deck.gl/core';
import type { Layer } from '@deck.gl/core';

/**
 * Swipe (before/after) compare: a deck.gl layer extension that clips a layer
 * to one side of a vertical screen-space divider.
 *
 * Two copies of the same layer, one per year, get this extension; copy A has
 * `swipeSide: 'left'`, copy B `swipeSide: 'right'`, both the same
 * `swipeSplit`. The clip is done per fragment against `gl_FragCoord.x`, so it
 * follows the screen whatever the map's bearing and pitch, and it applies in
 * deck's picking pass too, so a hidden feature can never be hovered or
 * clicked.
 *
 * Composite layers (GeoJsonLayer, …) pass the extension and its props on to
 * their sublayers; every core primitive layer (SolidPolygonLayer,
 * ScatterplotLayer, PathLayer, BitmapLayer, IconLayer, TextLayer, …) calls
 * the `DECKGL_FILTER_COLOR` hook the discard is injected into.
 *
 * Deck decides whether a layer's extensions changed with
 * `extension.equals()`: same class and shallow-equal options. This extension
 * has no options, so a fresh `new SwipeClipExtension()` per render does not
 * recompile shaders; still, prefer the shared {@link swipeClipExtension}
 * instance.
 */

export type SwipeSide = 'left' | 'right';

export type SwipeClipExtensionProps = {
  /**
   * Where the divider is, as a fraction (0..1) of the width of the viewport
   * the layer is drawn in, measured in CSS pixels from its left edge (with a
   * single full-canvas view or a MapboxOverlay: from the map canvas's left edge).
   * @default 0.5
   */
  swipeSplit?: number;
  /**
   * The side of the divider on which this layer stays visible.
   * @default 'left'
   */
  swipeSide?: SwipeSide;
  /**
   * `false` draws the layer unclipped without recompiling its shaders
   * (e.g. while the compare is switched off but the layer is kept).
   * @default true
   */
  swipeEnabled?: boolean;
};

/** Props the shader module turns into uniforms (see {@link swipeClipUniforms}). */
export type SwipeClipModuleProps = {
  split: number;
  side: SwipeSide;
  enabled: boolean;
  /** The viewport being drawn, in CSS pixels (deck's `Viewport` has these). */
  viewport: { x: number; width: number };
  /** Device pixels per CSS pixel of the framebuffer being drawn into. */
  devicePixelRatio: number;
};

export type SwipeClipUniforms = { splitPx: number; side: number; enabled: number };

/** Clamps a split fraction to [0, 1]; anything not finite becomes 0.5. */
export function clampSplit(split: number): number {
  if (!Number.isFinite(split)) return 0.5;
  return Math.min(1, Math.max(0, split));
}

/**
 * The divider's x in framebuffer (device) pixels from the left edge of the
 * viewport: what `gl_FragCoord.x` is compared with. `gl_FragCoord` is in
 * device pixels with pixel centres at n + 0.5, so with dpr 2 a split at CSS
 * x = 300 is device x = 600.
 */
export function splitToDevicePx(split: number, viewportWidthCss: number, dpr: number): number {
  const ratio = Number.isFinite(dpr) && dpr > 0 ? dpr : 1;
  const width = Number.isFinite(viewportWidthCss) && viewportWidthCss > 0 ? viewportWidthCss : 0;
  return clampSplit(split) * width * ratio;
}

/**
 * The uniforms for one draw. `viewport.x` is added because `gl_FragCoord` is
 * relative to the framebuffer, not to the GL viewport (matters with several
 * deck views side by side).
 */
export function swipeClipUniforms(p: SwipeClipModuleProps): SwipeClipUniforms {
  const ratio = Number.isFinite(p.devicePixelRatio) && p.devicePixelRatio > 0 ? p.devicePixelRatio : 1;
  return {
    splitPx: (p.viewport.x || 0) * ratio + splitToDevicePx(p.split, p.viewport.width, ratio),
    side: p.side === 'right' ? -1 : 1,
    enabled: p.enabled ? 1 : 0,
  };
}

const uniformBlock = /* glsl */ `\
layout(std140) uniform swipeClipUniforms {
  float splitPx;
  float side;
  highp int enabled;
} swipeClip;
`;

/**
 * A pixel belongs to the left side when its centre is left of the divider
 * (x < splitPx) and to the right side otherwise, so the two copies tile the
 * screen with neither a gap nor an overlap.
 */
const shaderModule = {
  name: 'swipeClip',
  fs: uniformBlock,
  uniformTypes: {
    splitPx: 'f32',
    side: 'f32',
    enabled: 'i32',
  },
  getUniforms: (opts?: Partial<SwipeClipModuleProps>): Partial<SwipeClipUniforms> => {
    // Called with {} for modules without props; keep the previous values then.
    if (!opts || !opts.viewport) return {};
    return swipeClipUniforms({
      split: opts.split ?? 0.5,
      side: opts.side ?? 'left',
      enabled: opts.enabled ?? true,
      viewport: opts.viewport,
      devicePixelRatio: opts.devicePixelRatio ?? 1,
    });
  },
} as const;

const inject = {
  'fs:DECKGL_FILTER_COLOR': /* glsl */ `
  if (swipeClip.enabled != 0) {
    float swipeClip_dx = gl_FragCoord.x - swipeClip.splitPx;
    if (swipeClip.side > 0.0 ? swipeClip_dx >= 0.0 : swipeClip_dx < 0.0) discard;
  }
`,
};

type ShaderModuleProps = { project?: { viewport?: { x: number; width: number }; devicePixelRatio?: number } };

const defaultProps: Required<SwipeClipExtensionProps> = {
  swipeSplit: 0.5,
  swipeSide: 'left',
  swipeEnabled: true,
};

export class SwipeClipExtension extends LayerExtension {
  static override defaultProps = defaultProps;
  static override extensionName = 'SwipeClipExtension';

  override getShaders(this: Layer<SwipeClipExtensionProps>): { modules?: unknown[]; inject?: Record<string, string> } {
    // WebGL only, like the GLSL-only paths of deck's own extensions.
    if (this.context.device.type === 'webgpu') return {};
    return { modules: [shaderModule], inject };
  }

  override draw(this: Layer<SwipeClipExtensionProps>, params: { shaderModuleProps?: ShaderModuleProps | null }): void {
    if (this.context.device.type === 'webgpu') return;
    const project = params?.shaderModuleProps?.project;
    // The viewport being drawn (one per view) and the ratio deck itself uses
    // to turn it into a GL viewport, for the screen and the picking buffer alike.
    const viewport = project?.viewport ?? this.context.viewport;
    const devicePixelRatio = project?.devicePixelRatio ?? this.context.device.getDefaultCanvasContext().cssToDeviceRatio();
    const { swipeSplit = 0.5, swipeSide = 'left', swipeEnabled = true } = this.props;
    const moduleProps: SwipeClipModuleProps = { split: swipeSplit, side: swipeSide, enabled: swipeEnabled, viewport, devicePixelRatio };
    this.setShaderModuleProps({ swipeClip: moduleProps });
  }
}

/**
 * The one shared instance. Pass it in `extensions: [swipeClipExtension]` on
 * both copies of a compared layer.
 */
export const swipeClipExtension = new SwipeClipExtension();
