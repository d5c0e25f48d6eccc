import { localized, msg } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { parsePublicIdentity } from '../../../shared/crypto/identity.ts';
import { safetyNumberHalf } from '../../../shared/crypto/safety-number.ts';
import { digitGroupStyles, digitGroups } from './digit-groups.ts';

/** One's own half of every safety number, as digit groups: the content of "Your key" (own-key.ts), loaded when opened. */
@customElement('own-key-half')
@localized()
export class OwnKeyHalf extends LitElement {
  static override styles = [digitGroupStyles, css`:host { display: block; } p { margin: 0.3rem 0; }`];

  /** This person's public identity. */
  @property() identity = '';
  /** The half computed last (5,200 hashes: not redone on every render), with the identity it belongs to. */
  #half: { readonly identity: string; readonly groups: readonly string[] } | null = null;

  override render() {
    return html`
      <p>${msg('Your half of every safety number:', { id: 'key.half' })}</p>
      ${digitGroups(this.#groups())}
      <p>${msg('These 30 digits are the first or the last half of each safety number you compare with someone.', { id: 'key.half-note' })}</p>
    `;
  }

  #groups(): readonly string[] {
    if (this.#half?.identity !== this.identity) {
      const parsed = parsePublicIdentity(this.identity);
      const digits = parsed.ok ? safetyNumberHalf(parsed.value) : '';
      this.#half = { identity: this.identity, groups: digits.match(/\d{5}/g) ?? [] };
    }
    return this.#half.groups;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'own-key-half': OwnKeyHalf;
  }
}
