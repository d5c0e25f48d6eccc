import { localized, msg } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { Lazy } from '../app/lazy.ts';
import { defaultPreferences, type Preferences } from '../storage/preferences.ts';
import { focusRing } from './focus-ring.ts';

/**
 * "Settings": a disclosure whose panel (typing, desktop notifications, sound; see settings-panel.ts) is loaded the
 * first time someone opens it.
 */
@customElement('room-settings')
@localized()
export class RoomSettings extends LitElement {
  static override styles = [
    focusRing,
    css`
    :host { display: block; font-size: 0.85rem; }
    button { padding: 0.2rem 0.55rem; font: inherit; border: 1px solid var(--control-line); border-radius: 6px; background: var(--surface);
      cursor: pointer; }
  `,
  ];

  /** The person's choices, as the app keeps them. */
  @property({ attribute: false }) preferences: Preferences = defaultPreferences;
  /** The language shown, for the Language switch in the panel. */
  @property() language = 'en';
  @state() private open = false;
  @state() private loaded = false;
  readonly #panel = new Lazy(() => import('./settings-panel.ts'));

  override render() {
    return html`
      <button type="button" aria-expanded=${this.open ? 'true' : 'false'} aria-controls="settings" @click=${this.#toggle}>
        ${msg('Settings', { id: 'settings.button' })}</button>
      ${this.open
        ? html`<section id="settings" aria-label=${msg('Settings', { id: 'settings.button' })}>
            ${this.loaded ? html`<settings-panel .preferences=${this.preferences} language=${this.language}></settings-panel>` : html`<p>${msg('Loading…', { id: 'settings.loading' })}</p>`}
          </section>`
        : null}
    `;
  }

  #toggle(): void {
    this.open = !this.open;
    if (this.open && !this.loaded) {
      void this.#panel.get().then(
        () => (this.loaded = true),
        () => (this.open = false),
      );
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'room-settings': RoomSettings;
  }
}
