import { css } from 'lit';

/**
 * The one focus style of every component (each shadow root needs it: page.css does not reach inside). Shown for the
 * keyboard (:focus-visible), in the palette's --focus colour, which keeps at least 3:1 against the surfaces it is
 * drawn on in both themes (WCAG 2.2, 1.4.11 and 2.4.13); the dark header sets its own --focus.
 */
export const focusRing = css`
  :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
`;
