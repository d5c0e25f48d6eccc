import { localized, msg } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { qrModules, qrPathData } from '../../../shared/qr.ts';

/** The invite link as a QR code a phone can scan: an SVG drawn from the code's modules (no markup from elsewhere). */
@customElement('invite-qr')
@localized()
export class InviteQr extends LitElement {
  static override styles = css`
    :host { display: block; }
    svg { display: block; width: 100%; max-width: 14rem; height: auto; background: #fff; }
  `;

  @property() href = '';

  override render() {
    const modules = qrModules(this.href);
    const size = modules.length;
    return html`<svg viewBox="0 0 ${size} ${size}" role="img" aria-label=${msg('QR code of the invite link', { id: 'invite.qr-label' })} shape-rendering="crispEdges">
      <rect width=${size} height=${size} fill="#fff"></rect><path fill="#000" d=${qrPathData(modules)}></path>
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'invite-qr': InviteQr;
  }
}
