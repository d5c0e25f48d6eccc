import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { MAX_TEXT_LENGTH } from '../../../shared/limits.ts';
import type { Addressee } from '../app/direct-command.ts';
import { Lazy } from '../app/lazy.ts';
import { appEvent } from '../events.ts';
import { focusRing } from './focus-ring.ts';

/**
 * The message box and Send button. `/msg NAME text` sends a private message (see parseDirectCommand). Refuses
 * over-long text and a /msg that cannot go with the reason, and keeps what was typed.
 */
@customElement('message-composer')
@localized()
export class MessageComposer extends LitElement {
  static override styles = [
    focusRing,
    css`
      :host { display: block; }
      form { display: flex; gap: 0.5rem; }
      input { flex: 1; min-width: 0; padding: 0.65rem 0.75rem; font: inherit; border: 1px solid var(--control-line); border-radius: 8px; }
      button { padding: 0.65rem 1.2rem; font: inherit; font-weight: 600; color: var(--on-accent); background: var(--accent); border: 0;
        border-radius: 8px; cursor: pointer; }
      button[disabled] { opacity: 0.5; cursor: not-allowed; }
      [role='alert'] { margin-top: 0.4rem; color: var(--danger); font-size: 0.88rem; }
    `,
  ];

  /** False while there is no room to send to. */
  @property({ type: Boolean }) enabled = true;
  /** A reason from outside to show under the box (a host refusal, for instance). */
  @property() error = '';
  /** The people in the room, whom /msg can address. */
  @property({ attribute: false }) people: readonly Addressee[] = [];
  /** This tab's peer id (a /msg to oneself is refused). */
  @property() selfId = '';

  @state() private localError = '';
  /** What reads `/msg NAME text`: loaded the first time a line starts with `/` (most people never write one). */
  readonly #commands = new Lazy(() => import('../app/direct-command.ts'));

  override render() {
    const message = this.localError || this.error;
    return html`
      <form @submit=${this.#submit}>
        <input id="message" aria-label=${msg('Message', { id: 'composer.message' })} autocomplete="off" @input=${this.#onInput}
          placeholder=${msg('Write a message (/msg NAME text: private; quit to leave)', { id: 'composer.placeholder' })} />
        <button type="submit" ?disabled=${!this.enabled}>${msg('Send', { id: 'composer.send' })}</button>
      </form>
      ${message ? html`<div role="alert">${message}</div>` : null}
    `;
  }

  /** Puts the caret in the message box. */
  override focus(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#message')?.focus());
  }

  /** Puts `text` in the message box (replacing what was there) and the caret after it. */
  prefill(text: string): void {
    void this.updateComplete.then(() => {
      const input = this.renderRoot.querySelector<HTMLInputElement>('#message');
      if (!input) return;
      input.value = text;
      input.focus();
      input.setSelectionRange(text.length, text.length);
      this.localError = '';
    });
  }

  /** Each keystroke says whether the box holds a room message (a command such as /msg is nobody's business). */
  #onInput(event: InputEvent): void {
    const { value } = event.target as HTMLInputElement;
    if (this.localError && value.length <= MAX_TEXT_LENGTH) this.localError = '';
    const active = value.trim() !== '' && !value.trimStart().startsWith('/');
    this.dispatchEvent(appEvent('composer-typing', { active }));
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#message');
    if (!input || !this.enabled) return;
    const text = input.value;
    if (text.trim().length === 0) return;
    if (text.length > MAX_TEXT_LENGTH) {
      this.localError = msg(str`Too long: ${text.length} characters; the limit is ${MAX_TEXT_LENGTH}. Shorten it or split it.`, {
        id: 'composer.too-long',
      });
      return;
    }
    if (!text.startsWith('/')) return this.#sent(input, appEvent('chat-submit', { text }));
    void this.#commands.get().then(({ parseDirectCommand }) => {
      // Changed while the command's code loaded: the person is still writing.
      if (input.value !== text) return;
      const command = parseDirectCommand(text, this.people, this.selfId);
      if (command.kind === 'error') this.localError = command.message;
      else if (command.kind === 'direct') this.#sent(input, appEvent('direct-submit', { peerId: command.peerId, text: command.text }));
      else this.#sent(input, appEvent('chat-submit', { text }));
      // Not downloaded: the line stays in the box, never sent as a room message (it may be a private one).
    }, () => (this.localError = msg('Could not load ChatUs from the server. Check the connection and reload the page.', { id: 'app.load-failed' })));
  }

  /** The line goes: the box empties and keeps the caret, and `event` tells the app. */
  #sent(input: HTMLInputElement, event: Event): void {
    this.localError = '';
    input.value = '';
    input.focus();
    this.dispatchEvent(event);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-composer': MessageComposer;
  }
}
