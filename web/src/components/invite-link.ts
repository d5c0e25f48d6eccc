import { localized, msg } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { copyText, isSecurePage } from '../platform/secure-context.ts';
import { focusRing } from './focus-ring.ts';

/** The invite link, read-only, with a button that copies it. */
@customElement('invite-link')
@localized()
export class InviteLink extends LitElement {
  static override styles = [
    focusRing,
    css`
      :host { display: block; }
      label { display: block; margin-bottom: 0.3rem; font-size: 0.95rem; text-transform: uppercase; letter-spacing: 0.04em;
        color: var(--muted); font-weight: 600; }
      .row { display: flex; flex-wrap: wrap; gap: 0.4rem; }
      input { flex: 1 1 100%; min-width: 0; padding: 0.45rem 0.5rem; font: inherit; font-size: 0.85rem; border: 1px solid var(--control-line);
        border-radius: 6px; background: var(--faint); }
      button { padding: 0.45rem 0.7rem; font: inherit; font-size: 0.85rem; border: 1px solid var(--control-line); border-radius: 6px;
        background: var(--surface); cursor: pointer; }
      .copied { font-size: 0.8rem; color: var(--ok); }
      #qr { margin-top: 0.4rem; }
    `,
  ];

  @property() href = '';
  @state() private feedback = '';
  /** Whether the QR code is shown: its code (the encoder) loads the first time it is asked for. */
  @state() private qrShown = false;
  @state() private qrReady = false;

  override render() {
    return html`
      <label for="invite">${msg('Invite link', { id: 'invite.label' })}</label>
      <div class="row">
        <input id="invite" readonly .value=${this.href} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
        <button type="button" aria-label=${msg('Copy invite link', { id: 'invite.copy-label' })} @click=${this.#copy}>
          ${msg('Copy', { id: 'invite.copy' })}</button>
        <button type="button" aria-expanded=${this.qrShown ? 'true' : 'false'} aria-controls="qr" @click=${this.#toggleQr}>
          ${msg('QR code', { id: 'invite.qr' })}</button>
      </div>
      <div class="copied" role="status">${this.feedback}</div>
      <div id="qr">${this.qrShown && this.qrReady ? html`<invite-qr .href=${this.href}></invite-qr>` : nothing}</div>
    `;
  }

  async #toggleQr(): Promise<void> {
    this.qrShown = !this.qrShown;
    if (!this.qrShown || this.qrReady) return;
    try {
      await import('./invite-qr.ts');
      this.qrReady = true;
    } catch {
      this.qrShown = false;
      this.feedback = msg('The QR code could not be loaded. Check the connection to the server and try again.', { id: 'invite.qr-failed' });
    }
  }

  async #copy(): Promise<void> {
    const field = this.renderRoot.querySelector<HTMLInputElement>('#invite');
    if (!field) return;
    if ((await copyText(field)) === 'copied') {
      this.feedback = msg('Copied. Send it to the people you want here.', { id: 'invite.copied' });
    } else {
      // Said only here, where it matters: on plain http the browser refuses to copy for the page.
      const press = msg('Press Ctrl+C (⌘C) to copy the selected link.', { id: 'invite.press-copy' });
      this.feedback = isSecurePage() ? press : `${press} ${msg('This browser lets only https or localhost pages copy for you.', { id: 'invite.insecure' })}`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'invite-link': InviteLink;
  }
}
