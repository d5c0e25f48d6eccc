import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { SafetyNumber } from '../../../shared/crypto/safety-number.ts';
import type { SessionSnapshot } from '../net/room-session.ts';
import { appEvent } from '../events.ts';
import type { MessageComposer } from './message-composer.ts';
import './chat-log.ts';
import './invite-link.ts';
import './message-composer.ts';
import './own-key.ts';
import './people-list.ts';

/** The room: header with status and Leave, the messages, the People and the invite link, the message box. */
@customElement('room-view')
export class RoomView extends LitElement {
  static override styles = css`
    :host { display: grid; height: 100vh; grid-template-rows: auto 1fr auto; grid-template-columns: 1fr 17rem;
      grid-template-areas: 'header header' 'log side' 'composer side'; }
    header { grid-area: header; display: flex; align-items: center; gap: 1rem; padding: 0.6rem 1rem; background: #1d2330;
      color: #fff; }
    header h1 { margin: 0; font-size: 1.1rem; overflow-wrap: anywhere; }
    .status { font-size: 0.85rem; color: #c9d1e4; }
    .status.warn { color: #ffd27a; }
    header button { margin-left: auto; padding: 0.4rem 0.9rem; font: inherit; color: #fff; background: transparent;
      border: 1px solid #8a93a8; border-radius: 6px; cursor: pointer; }
    chat-log { grid-area: log; min-height: 0; }
    aside { grid-area: side; display: flex; flex-direction: column; gap: 1.5rem; padding: 1rem; overflow-y: auto;
      background: #eef0f4; border-left: 1px solid #dde1e8; }
    .people { display: flex; flex-direction: column; gap: 0.6rem; }
    message-composer { grid-area: composer; padding: 0.75rem 1rem; background: #fff; border-top: 1px solid #dde1e8; }
    @media (max-width: 700px) {
      :host { grid-template-columns: 1fr; grid-template-rows: auto 1fr auto auto;
        grid-template-areas: 'header' 'log' 'composer' 'side'; height: auto; min-height: 100vh; }
      chat-log { min-height: 50vh; }
      aside { border-left: 0; border-top: 1px solid #dde1e8; }
    }
  `;

  @property({ attribute: false }) snapshot!: SessionSnapshot;
  @property() invite = '';
  /** A reason to show under the message box. */
  @property() error = '';
  /** What this browser could not keep of the person's keys for the next visit, or empty. */
  @property() notKept = '';
  /** The safety number with a member, by peer id. */
  @property({ attribute: false }) safetyNumberOf: (peerId: string) => SafetyNumber | null = () => null;

  override render() {
    const { snapshot } = this;
    const status = statusText(snapshot);
    return html`
      <header>
        <h1>Room ${snapshot.room}</h1>
        <span class="status ${status.warn ? 'warn' : ''}" role="status">${status.text}</span>
        <button type="button" @click=${() => this.dispatchEvent(appEvent('room-leave-requested', undefined))}>Leave</button>
      </header>
      <chat-log .entries=${snapshot.timeline}></chat-log>
      <aside>
        <section class="people">
          <people-list
            .roster=${snapshot.roster}
            selfId=${snapshot.selfId ?? ''}
            .keyStatus=${snapshot.keyStatus}
            .safetyNumberOf=${this.safetyNumberOf}
            @message-person=${this.#messagePerson}
          ></people-list>
          <own-key identity=${snapshot.identity} notKept=${this.notKept}></own-key>
        </section>
        <invite-link href=${this.invite}></invite-link>
      </aside>
      <message-composer ?enabled=${snapshot.phase === 'connected' || snapshot.phase === 'reconnecting'} error=${this.error}
        .people=${snapshot.roster.members} selfId=${snapshot.selfId ?? ''}>
      </message-composer>
    `;
  }

  /** People: Message puts `/msg NAME ` in the message box, ready for the text. */
  #messagePerson(event: CustomEvent<{ name: string }>): void {
    event.stopPropagation();
    this.renderRoot.querySelector<MessageComposer>('message-composer')?.prefill(`/msg ${event.detail.name} `);
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<MessageComposer>('message-composer')?.focus();
  }
}

function statusText(snapshot: SessionSnapshot): { text: string; warn: boolean } {
  if (snapshot.phase === 'reconnecting') return { text: 'reconnecting to the server…', warn: true };
  if (snapshot.phase !== 'connected') return { text: snapshot.phase, warn: true };
  if (snapshot.role === 'host') return { text: 'connected · you host this room', warn: false };
  return snapshot.linkedToHost
    ? { text: 'connected', warn: false }
    : { text: 'connecting to the host…', warn: true };
}

declare global {
  interface HTMLElementTagNameMap {
    'room-view': RoomView;
  }
}
