import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { MAX_TEXT_LENGTH } from '../../../shared/limits.ts';
import { appEvent } from '../events.ts';

/** The message box and Send button. Refuses over-long text with the reason and keeps what was typed. */
@customElement('message-composer')
export class MessageComposer extends LitElement {
  static override styles = css`
    :host { display: block; }
    form { display: flex; gap: 0.5rem; }
    input { flex: 1; min-width: 0; padding: 0.65rem 0.75rem; font: inherit; border: 1px solid #c5cad3; border-radius: 8px; }
    input:focus { outline: 2px solid #3563e9; outline-offset: 1px; }
    button { padding: 0.65rem 1.2rem; font: inherit; font-weight: 600; color: #fff; background: #3563e9; border: 0;
      border-radius: 8px; cursor: pointer; }
    button[disabled] { opacity: 0.5; cursor: not-allowed; }
    [role='alert'] { margin-top: 0.4rem; color: #8a1020; font-size: 0.88rem; }
  `;

  /** False while there is no room to send to. */
  @property({ type: Boolean }) enabled = true;
  /** A reason from outside to show under the box (a host refusal, for instance). */
  @property() error = '';

  @state() private localError = '';

  override render() {
    const message = this.localError || this.error;
    return html`
      <form @submit=${this.#submit}>
        <input id="message" aria-label="Message" placeholder="Write a message (type quit to leave)" autocomplete="off"
          @input=${this.#onInput} />
        <button type="submit" ?disabled=${!this.enabled}>Send</button>
      </form>
      ${message ? html`<div role="alert">${message}</div>` : null}
    `;
  }

  /** Puts the caret in the message box. */
  override focus(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#message')?.focus());
  }

  #onInput(event: InputEvent): void {
    const length = (event.target as HTMLInputElement).value.length;
    if (this.localError && length <= MAX_TEXT_LENGTH) this.localError = '';
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#message');
    if (!input || !this.enabled) return;
    const text = input.value;
    if (text.trim().length === 0) return;
    if (text.length > MAX_TEXT_LENGTH) {
      this.localError = `Too long: ${text.length} characters; the limit is ${MAX_TEXT_LENGTH}. Shorten it or split it.`;
      return;
    }
    this.localError = '';
    input.value = '';
    input.focus();
    this.dispatchEvent(appEvent('chat-submit', { text }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-composer': MessageComposer;
  }
}
