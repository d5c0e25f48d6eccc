import { localized, msg } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LANGUAGES } from '../app/language.ts';
import { appEvent } from '../events.ts';
import { focusRing } from './focus-ring.ts';

/**
 * The Language switch: a labelled list of the languages ChatUs speaks, each named in itself. Picking one fires
 * `language-picked`; the app shell shows it and remembers it.
 */
@customElement('language-switch')
@localized()
export class LanguageSwitch extends LitElement {
  static override styles = [
    focusRing,
    css`
      :host { display: flex; gap: 0.5rem; align-items: center; }
      select { padding: 0.3rem 0.4rem; font: inherit; color: inherit; background: var(--surface); border: 1px solid var(--control-line);
        border-radius: 6px; }
    `,
  ];

  /** The language shown, a code from LANGUAGES. */
  @property() language = 'en';

  override render() {
    return html`
      <label for="language">${msg('Language', { id: 'language.label' })}</label>
      <select id="language" @change=${this.#pick}>
        ${LANGUAGES.map(({ code, name }) => html`<option value=${code} lang=${code} .selected=${code === this.language}>${name}</option>`)}
      </select>
    `;
  }

  #pick(event: Event): void {
    this.dispatchEvent(appEvent('language-picked', { language: (event.target as HTMLSelectElement).value }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'language-switch': LanguageSwitch;
  }
}
