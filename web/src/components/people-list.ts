import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Roster } from '../../../shared/roster.ts';
import { appEvent } from '../events.ts';

/**
 * The People in the room, in the order they joined; the host is marked, and so is the person themself. Everyone else
 * has a Message button, which starts a private message to them in the message box.
 */
@customElement('people-list')
export class PeopleList extends LitElement {
  static override styles = css`
    :host { display: block; }
    h2 { margin: 0 0 0.5rem; font-size: 0.95rem; text-transform: uppercase; letter-spacing: 0.04em; color: #5b6475; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { padding: 0.3rem 0; overflow-wrap: anywhere; }
    .message { margin-left: 0.4rem; padding: 0.05rem 0.5rem; font: inherit; font-size: 0.78rem; cursor: pointer;
      color: #5b2a9e; background: #fff; border: 1px solid #b9a3dc; border-radius: 6px; }
    .tag { margin-left: 0.4rem; padding: 0.05rem 0.4rem; font-size: 0.75rem; border-radius: 999px; background: #e7ecfb;
      color: #26449e; }
  `;

  @property({ attribute: false }) roster: Roster = { members: [], hostId: null };
  /** This tab's peer id, to mark "you". */
  @property() selfId = '';

  override render() {
    return html`
      <h2 id="people-heading">People (${this.roster.members.length})</h2>
      <ul aria-label="People">
        ${this.roster.members.map(
          (member) => html`<li>
            ${member.name}${member.id === this.roster.hostId ? html`<span class="tag">host</span>` : null}${member.id ===
            this.selfId
              ? html`<span class="tag">you</span>`
              : this.#messageButton(member.name)}
          </li>`,
        )}
      </ul>
    `;
  }

  #messageButton(name: string) {
    const start = () => this.dispatchEvent(appEvent('message-person', { name }));
    return html`<button type="button" class="message" aria-label=${`Message ${name}`} @click=${start}>Message</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'people-list': PeopleList;
  }
}
