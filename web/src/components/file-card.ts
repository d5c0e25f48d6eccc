import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { isPreviewableImage, sanitizeFileName } from '../../../shared/files/file-name.ts';
import type { FileDescription } from '../../../shared/protocol/envelope.ts';
import { NumberWriter } from '../app/number-format.ts';
import { sessionErrorText } from '../app/session-error-text.ts';
import { transferRate, type TransferDetail, type TransferView } from '../net/files/transfer-view.ts';
import { appEvent } from '../events.ts';
import { focusRing } from './focus-ring.ts';

/** Seconds as people read a time left: "12 s", "3 min", "2 h". */
function formatSeconds(seconds: number, numbers: NumberWriter): string {
  if (!Number.isFinite(seconds)) return '…';
  if (seconds < 90) return `${numbers.number(Math.max(1, Math.round(seconds)))} s`;
  if (seconds < 90 * 60) return `${numbers.number(Math.round(seconds / 60))} min`;
  return `${numbers.number(Math.round(seconds / 3600))} h`;
}

/** Why a transfer paused, stopped or waits, in words (see TransferDetail); `view` for how much a reload kept. */
function detailText(detail: TransferDetail, view: TransferView, numbers: NumberWriter): string {
  if (typeof detail !== 'string') return 'by' in detail ? detail.by : sessionErrorText(detail.refused);
  switch (detail) {
    case 'you':
      return msg('you', { id: 'file.by-you' });
    case 'host':
      return msg('the host', { id: 'file.by-host' });
    case 'sender':
      return msg('the sender', { id: 'file.by-sender' });
    case 'host-left':
      return msg('the host left; carrying on through the next host…', { id: 'file.host-left' });
    case 'reloaded':
      return msg(str`${numbers.bytes(view.bytes)} of ${numbers.bytes(view.file.size)} arrived before the page was reloaded`, { id: 'file.reloaded' });
    case 'no-new-host':
      return msg('the host left and no new host took the transfer on in time', { id: 'file.no-new-host' });
    case 'before-joined':
      return msg('it was sent before you joined, so it is not here', { id: 'file.before-joined' });
    case 'not-linked':
      return msg('it was sent before you were linked to the host, so it is not here', { id: 'file.not-linked' });
    case 'kept-unreadable':
      return msg('what arrived before the reload could not be read back', { id: 'file.kept-unreadable' });
    case 'you-left':
      return msg('you left the room', { id: 'file.you-left' });
    case 'damaged':
      return msg('the file arrived damaged', { id: 'file.damaged' });
    case 'too-slow':
      return msg('your connection was too slow, so the host dropped you from this transfer', { id: 'file.too-slow' });
    case 'link-lost':
      return msg('your link to the host was lost, so the host stopped the transfer', { id: 'file.link-lost' });
    case 'sender-left':
      return msg('the sender left before the file was complete', { id: 'file.sender-left' });
    case 'not-kept':
      return msg('the sender no longer has this file to send again (their page was reloaded, or it was sent long ago)', { id: 'file.not-kept' });
    case 'host-refused':
      return msg('the host refused the transfer', { id: 'file.host-refused' });
    case 'host-stopped':
      return msg('the host stopped the transfer', { id: 'file.host-stopped' });
    case 'unreadable':
      return msg('the file could not be read (was it moved or changed?)', { id: 'file.unreadable' });
    case 'not-sent':
      return msg('the file could not be sent', { id: 'file.not-sent' });
    case 'nobody-left':
      return msg('no one was left waiting for the rest', { id: 'file.nobody-left' });
    default:
      // Nothing to say: '', and the done states' `sent` and `verified`, which the card shows its own way.
      return '';
  }
}

/**
 * One file in the log: its name, size and type for everyone; while it moves, a progress bar (bytes, speed, time
 * left) and Cancel; at the end, what became of it. A received file whose hash matched is offered as a download
 * under a safe name (and a raster image is shown inline, decoded from the Blob as an `<img>`; never SVG or HTML).
 * Everything the sender chose is bound as text.
 */
@customElement('file-card')
@localized()
export class FileCard extends LitElement {
  static override styles = [
    focusRing,
    css`
      :host { display: block; margin-top: 0.2rem; padding: 0.45rem 0.6rem; border: 1px solid var(--line); border-radius: 6px;
        background: var(--faint); max-width: 32rem; }
      .name { font-weight: 600; overflow-wrap: anywhere; }
      .facts, .progress-text, .end { color: var(--muted); font-size: 0.82rem; }
      .end.failed { color: var(--danger); font-weight: 600; }
      .bar { height: 0.45rem; background: var(--track); border-radius: 4px; overflow: hidden; margin: 0.3rem 0 0.15rem; }
      .fill { height: 100%; background: var(--accent); }
      button { font: inherit; font-size: 0.82rem; padding: 0.15rem 0.6rem; margin-left: 0.4rem; cursor: pointer; }
      img { display: block; max-width: 100%; max-height: 16rem; margin-top: 0.4rem; border-radius: 4px; }
      a { font-size: 0.88rem; }
    `,
  ];

  /** What the announcement says. */
  @property({ attribute: false }) file!: FileDescription;
  /** How the transfer stands here; undefined when this tab takes no part in it. */
  @property({ attribute: false }) view: TransferView | undefined;

  #url: string | null = null;
  #urlOf: Blob | null = null;
  /** Sizes, speeds and times, redrawn with every bit of progress. */
  readonly #numbers = new NumberWriter();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#revoke();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('view')) return;
    const blob = this.view?.blob ?? null;
    if (blob === this.#urlOf) return;
    this.#revoke();
    if (blob) {
      this.#url = URL.createObjectURL(blob);
      this.#urlOf = blob;
    }
  }

  /** The bar's width, set through the CSSOM (element.style), which the page's CSP allows: a style attribute it refuses. */
  protected override updated(): void {
    const fill = this.renderRoot.querySelector<HTMLElement>('.fill');
    if (fill) fill.style.width = `${fill.dataset['percent'] ?? '0'}%`;
  }

  override render() {
    const { file, view } = this;
    return html`
      <div class="name">${file.name}</div>
      <div class="facts">${this.#numbers.bytes(file.size)} · ${file.type || msg('unknown type', { id: 'file.unknown-type' })}</div>
      ${view ? this.#state(view) : html`<div class="end">${msg('not sent to this tab', { id: 'file.not-here' })}</div>`}
    `;
  }

  #state(view: TransferView) {
    switch (view.state) {
      case 'hashing':
        return html`<div class="progress-text">${msg('preparing (checking the file)…', { id: 'file.hashing' })}${this.#cancelButton()}</div>`;
      case 'waiting':
        return html`<div class="progress-text">${msg('waiting for the host…', { id: 'file.waiting' })}${this.#cancelButton()}</div>`;
      case 'sending':
      case 'receiving':
        return this.#progress(view);
      case 'paused':
        return html`<div class="progress-text">${msg(str`paused: ${detailText(view.detail, view, this.#numbers)}`, { id: 'file.paused' })}${this.#cancelButton()}</div>`;
      case 'interrupted':
        return html`<div class="progress-text">
          ${msg(str`interrupted: ${detailText(view.detail, view, this.#numbers)}.`, { id: 'file.interrupted' })}
          <button type="button" aria-label=${msg(str`Resume ${view.file.name}`, { id: 'file.resume-label' })} @click=${this.#resume}>
            ${msg('Resume', { id: 'file.resume' })}</button>
          <button type="button" aria-label=${msg(str`Discard ${view.file.name}`, { id: 'file.discard-label' })} @click=${this.#cancel}>
            ${msg('Discard', { id: 'file.discard' })}</button>
        </div>`;
      case 'done':
        return view.direction === 'send' ? html`<div class="end">${msg('sent', { id: 'file.sent' })}</div>` : this.#download(view);
      case 'cancelled':
        return html`<div class="end">${msg(str`cancelled by ${detailText(view.detail, view, this.#numbers)}`, { id: 'file.cancelled' })}</div>`;
      case 'failed':
        return html`<div class="end failed">${msg(str`failed: ${detailText(view.detail, view, this.#numbers)}`, { id: 'file.failed' })}</div>`;
    }
  }

  #progress(view: TransferView) {
    const rate = transferRate(view, Date.now());
    const size = view.file.size;
    const percent = size === 0 ? 100 : Math.floor((view.bytes / size) * 100);
    const { name } = view.file;
    const label = view.direction === 'send' ? msg(str`Sending ${name}`, { id: 'file.sending' }) : msg(str`Receiving ${name}`, { id: 'file.receiving' });
    const done = msg(str`${this.#numbers.bytes(view.bytes)} of ${this.#numbers.bytes(size)}`, { id: 'file.progress' });
    return html`
      <div class="bar" role="progressbar" aria-label=${label} aria-valuemin="0" aria-valuemax=${size}
        aria-valuenow=${view.bytes} aria-valuetext="${percent}%, ${done}">
        <div class="fill" data-percent=${percent}></div>
      </div>
      <div class="progress-text">
        ${done}
        ${rate ? html` · ${this.#numbers.bytes(rate.bytesPerSecond)}/s · ${msg(str`${formatSeconds(rate.secondsLeft, this.#numbers)} left`, { id: 'file.left' })}` : nothing}
        ${this.#cancelButton()}
      </div>
    `;
  }

  #download(view: TransferView) {
    if (this.#url === null) return html`<div class="end">${msg('received', { id: 'file.received' })}</div>`;
    const name = sanitizeFileName(view.file.name);
    return html`
      <div class="end">${msg('received · verified', { id: 'file.verified' })}</div>
      ${isPreviewableImage(view.file.type) ? html`<img src=${this.#url} alt=${view.file.name} />` : nothing}
      <a href=${this.#url} download=${name}>${msg(str`Download ${name}`, { id: 'file.download' })}</a>
    `;
  }

  #cancelButton() {
    return html`<button type="button" @click=${this.#cancel}>${msg('Cancel', { id: 'file.cancel' })}</button>`;
  }

  #cancel(): void {
    if (this.view) this.dispatchEvent(appEvent('file-cancel-requested', { transfer: this.view.transfer }));
  }

  #resume(): void {
    if (this.view) this.dispatchEvent(appEvent('file-resume-requested', { transfer: this.view.transfer }));
  }

  #revoke(): void {
    if (this.#url !== null) URL.revokeObjectURL(this.#url);
    this.#url = null;
    this.#urlOf = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'file-card': FileCard;
  }
}
