/**
 * How much larger than at 1440×900 the interface is drawn: 2 on a 4K screen
 * shown pixel for pixel (a wall or a projector), else 1. CSS uses the same
 * rule (styles.css, "4K screens"); map text and markers read it from here.
 */
export function uiScale(): number {
  if (typeof window === 'undefined') return 1;
  return window.innerWidth >= 2560 && window.devicePixelRatio <= 1.5 ? 2 : 1;
}
