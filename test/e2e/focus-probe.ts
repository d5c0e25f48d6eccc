import type { Page } from 'playwright-core';

/** The element that has focus, looked up through shadow roots, and how its focus ring looks. */
export interface FocusedElement {
  /** Tag, id and accessible label, to name it in a failure: `input#message "Message"`. */
  readonly name: string;
  readonly outlineStyle: string;
  readonly outlineWidth: number;
  /** Contrast ratio of the outline's colour against the colour behind the outline (WCAG relative luminance). */
  readonly contrast: number;
}

/**
 * What has focus in `page`, deep inside shadow roots, with its focus ring measured. The colour behind the ring is the
 * first opaque background from the element's parent outward (from the element itself when the ring is drawn inside).
 */
export function focusedElement(page: Page): Promise<FocusedElement | null> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element || element === document.body) return null;
    const rgba = (value: string): number[] => (value.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]): number => {
      const [lr, lg, lb] = [r, g, b].map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * lr! + 0.7152 * lg! + 0.0722 * lb!;
    };
    const parentOf = (node: Element): Element | null => node.parentElement ?? ((node.getRootNode() as ShadowRoot).host ?? null);
    const style = getComputedStyle(element);
    let behind: Element | null = Number.parseFloat(style.outlineOffset) < 0 ? element : parentOf(element);
    let background = [255, 255, 255];
    for (; behind; behind = parentOf(behind)) {
      const colour = rgba(getComputedStyle(behind).backgroundColor);
      if ((colour[3] ?? 1) > 0.5) {
        background = colour;
        break;
      }
    }
    const [a, b] = [luminance(rgba(style.outlineColor)), luminance(background)];
    const labelled = (element as HTMLInputElement).labels?.[0]?.textContent;
    const label = element.getAttribute('aria-label') ?? labelled ?? element.textContent?.trim().slice(0, 30) ?? '';
    return {
      name: `${element.localName}${element.id ? `#${element.id}` : ''} "${label}"`,
      outlineStyle: style.outlineStyle,
      outlineWidth: Number.parseFloat(style.outlineWidth),
      contrast: Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 100) / 100,
    };
  });
}

/**
 * Presses Tab until focus comes back to where it started (or `limit` presses), and returns every element it stopped
 * on: the page's whole keyboard order after the focused element, ending with it.
 */
export async function tabStops(page: Page, limit = 40): Promise<FocusedElement[]> {
  const stops: FocusedElement[] = [];
  const first = await focusedElement(page);
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const now = await focusedElement(page);
    if (!now) continue;
    stops.push(now);
    if (first && now.name === first.name) break;
  }
  return stops;
}

/** Whether the page scrolls sideways: its content is wider than the viewport. */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}
