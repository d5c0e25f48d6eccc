import { msg } from '@lit/localize';
import { css, html, LitElement, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { focusRing } from './focus-ring.ts';

/**
 * A button that opens and closes a section whose content's code loads the first time it opens ("Your key",
 * "Settings"): the section says "Loading…" meanwhile, and a load that fails closes it again (the next open tries
 * again). Subclasses say what loads and what the section shows.
 */
export abstract class LazyDisclosure extends LitElement {
  static override styles = [
    focusRing,
    css`
      :host { display: block; font-size: 0.85rem; }
      button { padding: 0.2rem 0.55rem; font: inherit; border: 1px solid var(--control-line); border-radius: 6px; background: var(--surface);
        cursor: pointer; }
    `,
  ];

  @state() protected open = false;
  @state() protected loaded = false;

  /** Loads the code of the section's content. */
  protected abstract load(): Promise<unknown>;

  /** The button (labelled `label`) and, while open, the section `id` with `content` once its code is loaded. */
  protected disclosure(id: string, label: string, content: () => TemplateResult): TemplateResult {
    return html`
      <button type="button" aria-expanded=${this.open ? 'true' : 'false'} aria-controls=${id} @click=${this.#toggle}>${label}</button>
      ${this.open
        ? html`<section id=${id} aria-label=${label}>${this.loaded ? content() : html`<p>${msg('Loading…', { id: 'settings.loading' })}</p>`}</section>`
        : null}
    `;
  }

  #toggle(): void {
    this.open = !this.open;
    if (this.open && !this.loaded) {
      void this.load().then(
        () => (this.loaded = true),
        () => (this.open = false),
      );
    }
  }
}
