import { localized, msg } from '@lit/localize';
import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { Lazy } from '../app/lazy.ts';
import { LazyDisclosure } from './lazy-disclosure.ts';

/**
 * "Your key": one's own half of every safety number, behind a disclosure whose content (own-key-half.ts) loads the
 * first time someone opens it, and a plain note when this browser cannot keep the key (or the verifications) for the
 * next visit.
 */
@customElement('own-key')
@localized()
export class OwnKey extends LazyDisclosure {
  static override styles = [
    ...LazyDisclosure.styles,
    css`
      p { margin: 0.3rem 0; }
      .note { padding: 0.35rem 0.5rem; color: var(--warn-text); background: var(--warn-soft); border-radius: 4px; }
    `,
  ];

  /** This person's public identity. */
  @property() identity = '';
  /** What this browser could not keep for the next visit ('key' or 'trust', see NotKept), or empty. */
  @property() notKept = '';
  readonly #half = new Lazy(() => import('./own-key-half.ts'));

  protected override load(): Promise<unknown> {
    return this.#half.get();
  }

  #notKeptText(): string {
    return this.notKept === 'key'
      ? msg(
          'This browser does not let ChatUs keep your key (a private window, or site data blocked), so you have a new key for this visit only: people who verified you will see it change next time.',
          { id: 'key.not-kept' },
        )
      : msg('This browser does not let ChatUs remember which keys you verified beyond this visit.', { id: 'key.trust-not-kept' });
  }

  override render() {
    const half = () => html`<own-key-half identity=${this.identity}></own-key-half>`;
    return html`
      ${this.notKept ? html`<p class="note" role="note">${this.#notKeptText()}</p>` : null}
      ${this.disclosure('own-key', msg('Your key', { id: 'key.own' }), half)}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'own-key': OwnKey;
  }
}
