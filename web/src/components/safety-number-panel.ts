import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { SafetyNumber } from '../../../shared/crypto/safety-number.ts';
import { appEvent } from '../events.ts';
import { digitGroupStyles, digitGroups } from './digit-groups.ts';
import { focusRing } from './focus-ring.ts';

/**
 * The safety number of the person and one other: the 60 digits both screens show, how to compare them, and Verify
 * (or Unverify, once verified). It fires `key-verify-requested`; the session decides what a verified key is.
 */
@customElement('safety-number-panel')
@localized()
export class SafetyNumberPanel extends LitElement {
  static override styles = [
    focusRing,
    digitGroupStyles,
    css`
      :host { display: block; margin-top: 0.4rem; padding: 0.6rem; background: var(--surface); border: 1px solid var(--control-line);
        border-radius: 6px; font-size: 0.85rem; }
      p { margin: 0.3rem 0; }
      button { padding: 0.35rem 0.8rem; font: inherit; border: 1px solid var(--strong-line); border-radius: 6px; background: var(--surface);
        cursor: pointer; }
      button.verify { background: var(--ok-strong); border-color: var(--ok-strong); color: var(--on-accent); }
    `,
  ];

  @property() peerId = '';
  /** The other person's name. */
  @property() name = '';
  @property({ attribute: false }) number: SafetyNumber | null = null;
  @property({ type: Boolean }) verified = false;

  override render() {
    const label = msg(str`Safety number with ${this.name}`, { id: 'people.safety-number-with' });
    if (this.number === null) {
      return html`<section aria-label=${label}><p>${msg(str`${this.name} has no key to compare.`, { id: 'key.none' })}</p></section>`;
    }
    // One button whose word changes, so that focus stays on it after a press.
    return html`<section aria-label=${label}>
      ${digitGroups(this.number.groups)}
      <p>
        ${msg(
          str`${this.name} sees these same 60 digits. Compare them in person, or over a call or another app you trust, not in this chat. If every digit matches, press Verify: nobody is passing off another key as ${this.name}'s.`,
          { id: 'key.compare' },
        )}
      </p>
      <button type="button" class=${this.verified ? '' : 'verify'} @click=${() => this.#request(!this.verified)}>
        ${this.verified ? msg('Unverify', { id: 'key.unverify' }) : msg('Verify', { id: 'key.verify' })}
      </button>
    </section>`;
  }

  #request(verified: boolean): void {
    this.dispatchEvent(appEvent('key-verify-requested', { peerId: this.peerId, verified }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'safety-number-panel': SafetyNumberPanel;
  }
}
