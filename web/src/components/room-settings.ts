import { localized, msg } from '@lit/localize';
import { html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { Lazy } from '../app/lazy.ts';
import { defaultPreferences, type Preferences } from '../storage/preferences.ts';
import { LazyDisclosure } from './lazy-disclosure.ts';

/**
 * "Settings": a disclosure whose panel (typing, desktop notifications, sound; see settings-panel.ts) is loaded the
 * first time someone opens it.
 */
@customElement('room-settings')
@localized()
export class RoomSettings extends LazyDisclosure {
  /** The person's choices, as the app keeps them. */
  @property({ attribute: false }) preferences: Preferences = defaultPreferences;
  /** The language shown, for the Language switch in the panel. */
  @property() language = 'en';
  readonly #panel = new Lazy(() => import('./settings-panel.ts'));

  protected override load(): Promise<unknown> {
    return this.#panel.get();
  }

  override render() {
    const panel = () => html`<settings-panel .preferences=${this.preferences} language=${this.language}></settings-panel>`;
    return this.disclosure('settings', msg('Settings', { id: 'settings.button' }), panel);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'room-settings': RoomSettings;
  }
}
