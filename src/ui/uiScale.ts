/**
 * How much larger than at 1440×900 the interface is drawn: 2 on a 4K screen
 * shown pixel for pixel (a wall or a projector), else 1. CSS uses the same
 * rule (styles.css, "4K screens"); map text and markers read it from here.
 */
export function uiScale(): number {
  if (typeof window === 'undefined') return 1;
  // Presenter and kiosk screens are read from across a room: map text grows
  // with the screen's height, like the slide text (present.css, vh units).
  if (typeof document !== 'undefined' && document.querySelector('.mode-present, .mode-kiosk')) return Math.max(1, window.innerHeight / 760);
  return window.innerWidth >= 2560 && window.devicePixelRatio <= 1.5 ? 2 : 1;
}
