import { LayerExtension, project } from '@deck.gl/core';
import type { Layer } from '@deck.gl/core';

/**
 * WGS-84 → GCJ-02 display shift: a deck.gl layer extension that draws a
 * layer's WGS-84 data where a GCJ-02 basemap (Amap 高德 raster tiles) has the
 * same places, by moving every vertex on the GPU. The data are not changed:
 * picking returns the original objects, analysis and exports stay WGS-84.
 *
 * How: in the `DECKGL_FILTER_GL_POSITION` hook each vertex gets the GCJ-02
 * offset (dLon, dLat) of its own WGS-84 position, by the standard formula
 * (a = 6378245, ee = 0.00669342162296594323, the same as gcoord's and
 * src/map/gcj.ts), turned into a web-mercator common-space vector
 * (dx = WORLD_SCALE·dLon, dy = WORLD_SCALE·dLat / cos φ, radians) and added
 * in clip space: `position += viewProjectionMatrix · (dx, dy, 0, 0)`. The
 * clip transform is linear, so this is exactly "project the shifted point",
 * with pitch and bearing too, and the pixel offsets that billboards (points,
 * icons, text, billboard paths) add after the hook ride along. Deck's picking
 * pass runs the same vertex shader, so a click lands on the shifted feature.
 *
 * Where a vertex's WGS-84 position comes from, in this order:
 * 1. `geometry.worldPosition` (set before the hook by every @deck.gl/layers
 *    9.4 primitive: Scatterplot, SolidPolygon (top and sides), Path, Line,
 *    Arc, Icon, MultiIcon/TextBackground (TextLayer), Bitmap, Column,
 *    PointCloud; composites such as GeoJson, Polygon and Text pass the
 *    extension to those). With `lnglat-offsets` the coordinate origin is
 *    added.
 * 2. The vertex's common-space position (`geometry.position`), turned back
 *    into lng/lat, when `worldPosition` is not usable: for Line and Arc
 *    layers, whose `worldPosition` is the source point for every vertex of
 *    the segment (`worldPositionAlt` is set); for `meter-offsets`; and for a
 *    layer that does not set `worldPosition` at all (deck initialises it to
 *    0, and 0,0 is outside China). At zoom ≥ 12 (deck's offset mode) this
 *    inverts deck's own local projection around the viewport centre, which
 *    costs millimetres of shift; below, or for offset coordinate systems,
 *    it uses exp/atan, whose precision varies by GPU (with 1e-4 errors, a
 *    few metres of shift: well under a pixel below zoom 12, about a pixel
 *    at zoom 15 for offset coordinate systems, which this app does not use).
 * 3. Neither set (`geometry.position.w == 0`, deck's own "unset" marker): the
 *    offset at the viewport's centre, computed on the CPU per draw. No
 *    @deck.gl/layers layer gets here. The offset changes by up to 6 m per km
 *    (about 40 m over 15 km), so this is only right near the view centre.
 * Only in web-mercator views (MapView, MapboxOverlay) and for geographic
 * coordinate systems; `cartesian` data and globe views are left alone.
 * Outside gcoord's China box (72.004…137.8347 E, 0.8293…55.8271 N) the
 * offset is 0, as in gcoord.
 *
 * Precision: x = lon − 105, y = lat − 35 and the polynomial terms are exact
 * in float32 to ~1e-5 of a metre-sized unit. No built-in trig is used: the
 * sines and cosines take whole turns, reduced exactly to a quarter turn, and
 * a Taylor polynomial (error < 6e-8). Built-in `sin`/`cos` were measured off
 * by up to 2e-4 in SwiftShader (5 cm of shift), and GLSL ES specifies no
 * precision for them. tests/e2e/gcjShift.test.ts measures the GPU result
 * against gcoord at zoom 20.
 *
 * Caveat: TextLayer's `contentAlignHorizontal/Vertical` and
 * `contentCutoffPixels` place their screen-edge logic at the unshifted anchor
 * (computed before the hook); unused in this app.
 *
 * `gcjShift` is a uniform: switching it does not recompile shaders. Deck
 * compares extensions with `equals()` (same class, same options: none here),
 * but prefer the shared {@link gcjShiftExtension} instance. Coexists with
 * SwipeClipExtension (a fragment hook) on the same layer. WebGL only, like
 * SwipeClipExtension: on WebGPU the layer draws unshifted.
 */

export type GcjShiftExtensionProps = {
  /**
   * `true` draws the layer's WGS-84 data shifted to GCJ-02 (for a GCJ-02
   * basemap); `false` draws it where it is, without recompiling shaders.
   * @default false
   */
  gcjShift?: boolean;
};

/** gcoord's China box, tested on the WGS-84 input. */
export const GCJ_BOUNDS = { west: 72.004, east: 137.8347, south: 0.8293, north: 55.8271 } as const;

const GCJ_A = 6378245.0;
const GCJ_EE = 0.00669342162296594323;
/** deck's web-mercator common space: 512 units around the world. */
export const WORLD_SCALE = 512 / (2 * Math.PI);

export function isInGcjBounds(lon: number, lat: number): boolean {
  return lon >= GCJ_BOUNDS.west && lon <= GCJ_BOUNDS.east && lat >= GCJ_BOUNDS.south && lat <= GCJ_BOUNDS.north;
}

/** sin(2π·t), with the shader's argument (whole turns); the shader evaluates it by polynomial. */
const sinTurns = (t: number) => Math.sin(2 * Math.PI * (t - Math.floor(t)));

function transformLat(x: number, y: number): number {
  let ret = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20 * sinTurns(3 * x) + 20 * sinTurns(x)) * 2) / 3;
  ret += ((20 * sinTurns(y / 2) + 40 * sinTurns(y / 6)) * 2) / 3;
  ret += ((160 * sinTurns(y / 24) + 320 * sinTurns(y / 60)) * 2) / 3;
  return ret;
}

function transformLon(x: number, y: number): number {
  let ret = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20 * sinTurns(3 * x) + 20 * sinTurns(x)) * 2) / 3;
  ret += ((20 * sinTurns(x / 2) + 40 * sinTurns(x / 6)) * 2) / 3;
  ret += ((150 * sinTurns(x / 24) + 300 * sinTurns(x / 60)) * 2) / 3;
  return ret;
}

/**
 * The GCJ-02 offset `[dLon, dLat]` in degrees of a WGS-84 position (GCJ = WGS
 * + offset), `[0, 0]` outside the China box. The CPU twin of the shader's
 * formula; equals gcoord's WGS84 → GCJ02 to ~1e-14°.
 */
export function gcjOffsetDegrees(lon: number, lat: number): [number, number] {
  if (!isInGcjBounds(lon, lat)) return [0, 0];
  const x = lon - 105;
  const y = lat - 35;
  const radLat = (lat / 180) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - GCJ_EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  const dLon = (transformLon(x, y) * 180) / ((GCJ_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  const dLat = (transformLat(x, y) * 180) / (((GCJ_A * (1 - GCJ_EE)) / (magic * sqrtMagic)) * Math.PI);
  return [dLon, dLat];
}

/**
 * The same offset as a vector in deck's web-mercator common space (512 units
 * around the world, y north): what the shader adds before the clip transform.
 * The latitude scale is taken at the middle of the shift.
 */
export function gcjOffsetCommon(lon: number, lat: number): [number, number] {
  const [dLon, dLat] = gcjOffsetDegrees(lon, lat);
  const rad = Math.PI / 180;
  return [WORLD_SCALE * dLon * rad, (WORLD_SCALE * dLat * rad) / Math.cos((lat + dLat / 2) * rad)];
}

/** Props the shader module turns into uniforms (see {@link gcjShiftUniforms}). */
export type GcjShiftModuleProps = {
  enabled: boolean;
  /** The viewport being drawn; its centre gives the fallback offset. */
  viewport: { isGeospatial?: boolean; longitude?: number; latitude?: number };
};

export type GcjShiftUniforms = { enabled: number; centerOffset: [number, number] };

export function gcjShiftUniforms(p: GcjShiftModuleProps): GcjShiftUniforms {
  const { viewport } = p;
  const lon = viewport.longitude;
  const lat = viewport.latitude;
  const geo = Boolean(viewport.isGeospatial) && typeof lon === 'number' && typeof lat === 'number' && Number.isFinite(lon) && Number.isFinite(lat);
  return {
    enabled: p.enabled ? 1 : 0,
    centerOffset: geo ? gcjOffsetCommon(lon, lat) : [0, 0],
  };
}

const uniformBlock = /* glsl */ `\
layout(std140) uniform gcjShiftUniforms {
  highp int enabled;
  vec2 centerOffset;
} gcjShift;
`;

const vs = /* glsl */ `\
${uniformBlock}
const float GCJSHIFT_A = 6378245.0;
const float GCJSHIFT_EE = 0.00669342162296594323;
const float GCJSHIFT_TWO_PI = 6.283185307179586;
const float GCJSHIFT_PI = 3.141592653589793;
const float GCJSHIFT_WORLD_SCALE = 512.0 / 6.283185307179586;

// sin(2*pi*t): exact range reduction to a quarter turn, then the Taylor
// polynomial to a^11 (error < 6e-8 on [-pi/2, pi/2]). Built-in sin/cos are
// not good enough: SwiftShader's are off by up to 2e-4, which is 5 cm of shift
// here, and GLSL ES promises nothing.
float gcjShift_sinTurns(float t) {
  float u = t - floor(t + 0.5);
  u = u > 0.25 ? 0.5 - u : (u < -0.25 ? -0.5 - u : u);
  float a = GCJSHIFT_TWO_PI * u;
  float a2 = a * a;
  return a * (1.0 + a2 * (-1.0 / 6.0 + a2 * (1.0 / 120.0 + a2 * (-1.0 / 5040.0 + a2 * (1.0 / 362880.0 - a2 / 39916800.0)))));
}

float gcjShift_cosTurns(float t) {
  return gcjShift_sinTurns(t + 0.25);
}

float gcjShift_transformLat(float x, float y) {
  float ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x));
  ret += (20.0 * gcjShift_sinTurns(3.0 * x) + 20.0 * gcjShift_sinTurns(x)) * (2.0 / 3.0);
  ret += (20.0 * gcjShift_sinTurns(y / 2.0) + 40.0 * gcjShift_sinTurns(y / 6.0)) * (2.0 / 3.0);
  ret += (160.0 * gcjShift_sinTurns(y / 24.0) + 320.0 * gcjShift_sinTurns(y / 60.0)) * (2.0 / 3.0);
  return ret;
}

float gcjShift_transformLon(float x, float y) {
  float ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x));
  ret += (20.0 * gcjShift_sinTurns(3.0 * x) + 20.0 * gcjShift_sinTurns(x)) * (2.0 / 3.0);
  ret += (20.0 * gcjShift_sinTurns(x / 2.0) + 40.0 * gcjShift_sinTurns(x / 6.0)) * (2.0 / 3.0);
  ret += (150.0 * gcjShift_sinTurns(x / 24.0) + 300.0 * gcjShift_sinTurns(x / 60.0)) * (2.0 / 3.0);
  return ret;
}

// The GCJ-02 offset of a WGS-84 lng/lat as a web-mercator common-space vector.
vec2 gcjShift_offsetCommon(vec2 lngLat) {
  if (lngLat.x < 72.004 || lngLat.x > 137.8347 || lngLat.y < 0.8293 || lngLat.y > 55.8271) {
    return vec2(0.0);
  }
  float x = lngLat.x - 105.0;
  float y = lngLat.y - 35.0;
  float latTurns = lngLat.y / 360.0;
  float sinLat = gcjShift_sinTurns(latTurns);
  float magic = 1.0 - GCJSHIFT_EE * sinLat * sinLat;
  float sqrtMagic = sqrt(magic);
  // The offsets in radians (gcoord's degrees times pi/180).
  float dLon = gcjShift_transformLon(x, y) * sqrtMagic / (GCJSHIFT_A * gcjShift_cosTurns(latTurns));
  float dLat = gcjShift_transformLat(x, y) * magic * sqrtMagic / (GCJSHIFT_A * (1.0 - GCJSHIFT_EE));
  // Mercator's y scale (1 / cos) taken half-way along the shift.
  return GCJSHIFT_WORLD_SCALE * vec2(dLon, dLat / gcjShift_cosTurns(latTurns + dLat / (4.0 * GCJSHIFT_PI)));
}

// Absolute common space → lng/lat (used off the hot path: at zoom < 12, and
// for meter/lnglat-offsets data without a usable worldPosition).
vec2 gcjShift_commonToLngLat(vec2 commonPosition) {
  vec2 m = commonPosition / GCJSHIFT_WORLD_SCALE - GCJSHIFT_PI;
  return degrees(vec2(m.x, 2.0 * atan(exp(m.y)) - 0.5 * GCJSHIFT_PI));
}

// A vertex's lng/lat from its common-space position (geometry.position).
vec2 gcjShift_lngLatFromCommon(vec4 position) {
  if (project.projectionMode == PROJECTION_MODE_WEB_MERCATOR_AUTO_OFFSET &&
      project.coordinateSystem == COORDINATE_SYSTEM_LNGLAT) {
    // Invert deck's own local projection around the coordinate origin (the
    // viewport centre): x is linear in lng, y quadratic in lat. No exp/atan,
    // whose precision varies between GPUs.
    vec2 k1 = project.commonUnitsPerWorldUnit.xy;
    float k2 = project.commonUnitsPerWorldUnit2.y;
    float dLat = position.y / k1.y;
    dLat = position.y / (k1.y + k2 * dLat);
    return project.coordinateOrigin.xy + vec2(position.x / k1.x, dLat);
  }
  return gcjShift_commonToLngLat(position.xy + project.commonOrigin.xy);
}

// The offset for this vertex (see src/layers/gcjShift.ts for the order).
vec2 gcjShift_vertexOffset(VertexGeometry g) {
  if (project.projectionMode != PROJECTION_MODE_WEB_MERCATOR &&
      project.projectionMode != PROJECTION_MODE_WEB_MERCATOR_AUTO_OFFSET) {
    return vec2(0.0);
  }
  int cs = project.coordinateSystem;
  if (cs != COORDINATE_SYSTEM_LNGLAT && cs != COORDINATE_SYSTEM_LNGLAT_OFFSETS && cs != COORDINATE_SYSTEM_METER_OFFSETS) {
    return vec2(0.0);
  }
  bool hasWorld = g.worldPosition.xy != vec2(0.0) && g.worldPositionAlt.xy == vec2(0.0);
  if (hasWorld && cs == COORDINATE_SYSTEM_LNGLAT) {
    return gcjShift_offsetCommon(g.worldPosition.xy);
  }
  if (hasWorld && cs == COORDINATE_SYSTEM_LNGLAT_OFFSETS) {
    return gcjShift_offsetCommon(g.worldPosition.xy + project.coordinateOrigin.xy);
  }
  if (g.position.w != 0.0) {
    return gcjShift_offsetCommon(gcjShift_lngLatFromCommon(g.position));
  }
  return gcjShift.centerOffset;
}
`;

/** The shader module (exported for tests). Depends on deck's `project` (and so `geometry`). */
export const gcjShiftShaderModule = {
  name: 'gcjShift',
  dependencies: [project],
  vs,
  uniformTypes: {
    enabled: 'i32',
    centerOffset: 'vec2<f32>',
  },
  getUniforms: (opts?: Partial<GcjShiftModuleProps>): Partial<GcjShiftUniforms> => {
    // Called with {} for modules without props; keep the previous values then.
    if (!opts || !opts.viewport) return {};
    return gcjShiftUniforms({ enabled: opts.enabled ?? false, viewport: opts.viewport });
  },
} as const;

const inject = {
  'vs:DECKGL_FILTER_GL_POSITION': /* glsl */ `
  if (gcjShift.enabled != 0) {
    vec2 gcjShift_offset = gcjShift_vertexOffset(geometry);
    position += project.viewProjectionMatrix * vec4(gcjShift_offset, 0.0, 0.0);
  }
`,
};

type ShaderModuleProps = { project?: { viewport?: GcjShiftModuleProps['viewport'] } };

const defaultProps: Required<GcjShiftExtensionProps> = {
  gcjShift: false,
};

export class GcjShiftExtension extends LayerExtension {
  static override defaultProps = defaultProps;
  static override extensionName = 'GcjShiftExtension';

  override getShaders(this: Layer<GcjShiftExtensionProps>): { modules?: unknown[]; inject?: Record<string, string> } {
    // WebGL only, like the GLSL-only paths of deck's own extensions.
    if (this.context.device.type === 'webgpu') return {};
    return { modules: [gcjShiftShaderModule], inject };
  }

  override draw(this: Layer<GcjShiftExtensionProps>, params: { shaderModuleProps?: ShaderModuleProps | null }): void {
    if (this.context.device.type === 'webgpu') return;
    const viewport = params?.shaderModuleProps?.project?.viewport ?? (this.context.viewport as GcjShiftModuleProps['viewport']);
    const moduleProps: GcjShiftModuleProps = { enabled: Boolean(this.props.gcjShift), viewport };
    this.setShaderModuleProps({ gcjShift: moduleProps });
  }
}

/**
 * The one shared instance: `extensions: [gcjShiftExtension]` (next to
 * `swipeClipExtension` where a layer has both) and `gcjShift: true` while a
 * GCJ-02 basemap is shown.
 */
export const gcjShiftExtension = new GcjShiftExtension();
