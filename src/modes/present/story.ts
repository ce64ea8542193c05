/**
 * A story is data: an ordered list of slides, each a complete view of the
 * atlas (city, camera, layers and their settings, clock) plus what the
 * presenter says about it. Stories live in data/stories/<city>.json and are
 * validated on load (validateStory); the editor writes the same format.
 */
import type { AirMapView, AirMetric, TimeStep, ViewState } from '../../state/types';
import type { BasemapId } from '../../map/basemaps';

export interface Text {
  zh: string;
  en: string;
}

/**
 * A figure on a slide. `reported`: the city's own figure, quoted from its
 * account (the seed); shown as "城市自报 / the city's figure", never as ours.
 * `data`: computed by the app from the catalog's data at show time (the
 * default data is modelled, and the callout says so).
 */
export type Kpi =
  | {
      kind: 'reported';
      /** As the city states it, e.g. "92.9%", "394个", "300天以上". */
      value: string;
      label: Text;
      /** The sentence fragment it comes from, verbatim from the seed. */
      quote: string;
      /** Where the quote is: seed file name and 1-based line. */
      source: { file: string; line: number };
    }
  | {
      kind: 'data';
      /** One of the metrics in kpis.ts, e.g. 'air.goodDayShare', 'parks.count'. */
      metric: DataMetric;
      label: Text;
      /** Optional CST day range for time-based metrics; default the data's whole span. */
      period?: [string, string];
    };

export type DataMetric =
  | 'air.goodDayShare'
  | 'air.pm25Mean'
  | 'air.stations'
  | 'parks.count'
  | 'parks.areaKm2'
  | 'restoration.count'
  | 'restoration.areaKm2'
  | 'lifecircle.share15';

export interface Slide {
  /** Stable within the story: used in the URL (slide=…) and by the editor. */
  id: string;
  city: string;
  camera: ViewState;
  /** Visible layer ids (catalog layer ids); all others hidden. */
  layers: string[];
  /** Settings of time-aware layers; omitted keys keep the app defaults. */
  settings?: {
    pollutant?: AirMetric;
    step?: TimeStep;
    surface?: boolean;
    period?: [string, string] | null;
    /** 'period': the stations show their means over `period` (a winter episode, a season); omitted: the clock. */
    airMap?: AirMapView;
    /** Restoration swipe compare: this year left of the divider, the slide's clock year right of it. */
    compare?: number | null;
    /**
     * The base under the layers (map/basemaps.ts); omitted: the offline base.
     * An online base that cannot load in the meeting room falls back to the
     * offline one, so a slide never shows a blank map.
     */
    basemap?: BasemapId;
  };
  /** The clock, "YYYY-MM-DDTHH" CST; omitted: leave the clock where it is. */
  time?: string;
  /** Time playback while the slide shows (kiosk and presenter): speed 0.5–16. */
  play?: { speed: number };
  title: Text;
  caption: Text;
  kpis: Kpi[];
  /** Seconds the kiosk shows this slide (default 20). */
  duration?: number;
}

export interface Story {
  version: 1;
  id: string;
  /** The city the story is about (slides may still visit others). */
  city: string;
  title: Text;
  /** Where the narrative comes from. */
  source: Text;
  slides: Slide[];
}

export interface StoryProblems {
  story: Story | null;
  /** Human-readable, English, with a JSON path: "slides[2].camera.zoom: must be a number 0–22". */
  problems: string[];
}
