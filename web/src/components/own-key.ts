import { localized, msg } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { Lazy } from '../app/lazy.ts';
import { focusRing } from './focus-ring.ts';

/**
 * "Your key": one's own half of every safety number, behind a disclosure whose content (own-key-half.ts) loads the
 * first time someone opens it, and a plain note when this browser cannot keep the key (or the verifications) for the
 * next visit.
 */
@customElement('own-key')
@localized()
export class OwnKey extends LitElement {
  static override styles = [
    focusRing,
    css`
      :host { display: block; font-size: 0.85rem; }
      button { padding: 0.2rem 0.55rem; font: inherit; border: 1px solid var(--control-line); border-radius: 6px; background: var(--surface);
        cursor: pointer; }
      p { margin: 0.3rem 0; }
      .note { padding: 0.35rem 0.5rem; color: var(--warn-text); background: var(--warn-soft); border-radius: 4px; }
    `,
  ];

  /** This person's public identity. */
  @property() identity = '';
  /** What this browser could not keep for the next visit ('key' or 'trust', see NotKept), or empty. */
  @property() notKept = '';
  @state() private open = false;
  @state() private loaded = false;
  readonly #half = new Lazy(() => import('./own-key-half.ts'));

  #notKeptText(): string {
    return this.notKept === 'key'
      ? msg(
          'This browser does not let ChatUs keep your key (a private window, or site data blocked), so you have a new key for this visit only: people who verified you will see it change next time.',
          { id: 'key.not-kept' },
        )
      : msg('This browser does not let ChatUs remember which keys you verified beyond this visit.', { id: 'key.trust-not-kept' });
  }

  override render() {
    return html`
      ${this.notKept ? html`<p class="note" role="note">${this.#notKeptText()}</p>` : null}
      <button type="button" aria-expanded=${this.open ? 'true' : 'false'} aria-controls="own-key" @click=${this.#toggle}>
        ${msg('Your key', { id: 'key.own' })}
      </button>
      ${this.open
        ? html`<section id="own-key" aria-label=${msg('Your key', { id: 'key.own' })}>
            ${this.loaded ? html`<own-key-half identity=${this.identity}></own-key-half>` : html`<p>${msg('Loading…', { id: 'settings.loading' })}</p>`}
          </section>`
        : null}
    `;
  }

  #toggle(): void {
    this.open = !this.open;
    if (this.open && !this.loaded) {
      void this.#half.get().then(
        () => (this.loaded = true),
        () => (this.open = false),
      );
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'own-key': OwnKey;
  }
}
