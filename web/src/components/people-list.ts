import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SafetyNumber } from '../../../shared/crypto/safety-number.ts';
import type { RosterEntry } from '../../../shared/protocol/server-message.ts';
import type { Roster } from '../../../shared/roster.ts';
import type { KeyStatus } from '../net/room-identities.ts';
import { Lazy } from '../app/lazy.ts';
import { appEvent } from '../events.ts';
import { focusRing } from './focus-ring.ts';

/**
 * The People in the room, in the order they joined; the host is marked, and so is the person themself. Each other
 * person shows how their key stands (verified, or changed since this browser last saw them) and has actions (Message,
 * Send file, Safety number) in one place, {@link PeopleList.actions}.
 */
@customElement('people-list')
@localized()
export class PeopleList extends LitElement {
  static override styles = [
    focusRing,
    css`
      :host { display: block; }
      h2 { margin: 0 0 0.5rem; font-size: 0.95rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
      ul { list-style: none; margin: 0; padding: 0; }
      li { padding: 0.3rem 0; overflow-wrap: anywhere; }
      .message { margin-left: 0.4rem; padding: 0.05rem 0.5rem; font: inherit; font-size: 0.78rem; cursor: pointer;
        color: var(--private-text); background: var(--surface); border: 1px solid var(--private-line); border-radius: 6px; }
      .tag { margin-left: 0.4rem; padding: 0.05rem 0.4rem; font-size: 0.75rem; border-radius: 999px; background: var(--accent-soft);
        color: var(--accent-soft-text); }
      .verified { margin-left: 0.4rem; font-size: 0.8rem; color: var(--ok); font-weight: 600; }
      .warning { margin: 0.3rem 0; padding: 0.35rem 0.5rem; font-size: 0.82rem; color: var(--warn-text); background: var(--warn-soft);
        border-left: 3px solid var(--warn-line); border-radius: 4px; }
      .actions { display: flex; gap: 0.4rem; margin-top: 0.25rem; }
      .actions button { padding: 0.2rem 0.55rem; font: inherit; font-size: 0.8rem; border: 1px solid var(--control-line);
        border-radius: 6px; background: var(--surface); cursor: pointer; }
    `,
  ];

  @property({ attribute: false }) roster: Roster = { members: [], hostId: null };
  /** This tab's peer id, to mark "you". */
  @property() selfId = '';
  /** How each member's keys stand, by peer id. */
  @property({ attribute: false }) keyStatus: ReadonlyMap<string, KeyStatus> = new Map();
  /** The safety number with a member, by peer id (null without keys). */
  @property({ attribute: false }) safetyNumberOf: (peerId: string) => SafetyNumber | null = () => null;

  /** The member whose safety number is shown, if any. */
  @state() private open: string | null = null;
  /** The panel's code, loaded the first time someone opens a safety number (the panel shows once it is here). */
  readonly #panel = new Lazy(() => import('./safety-number-panel.ts'));
  /** The last safety number computed (10,400 hashes: not redone on every render), keyed by peer id and key. */
  #computed: { readonly key: string; readonly number: SafetyNumber | null } | null = null;

  override render() {
    return html`
      <h2 id="people-heading">${msg(str`People (${this.roster.members.length})`, { id: 'room.people' })}</h2>
      <ul aria-label=${msg('People', { id: 'people.list' })}>
        ${this.roster.members.map((member) => this.#row(member))}
      </ul>
    `;
  }

  #row(member: RosterEntry) {
    const self = member.id === this.selfId;
    const status = self ? 'none' : (this.keyStatus.get(member.id) ?? 'none');
    return html`<li>
      <span class="name" dir="auto">${member.name}</span>${member.id === this.roster.hostId ? html`<span class="tag">${msg('host', { id: 'people.host' })}</span>` : null}${self
        ? html`<span class="tag">${msg('you', { id: 'people.you' })}</span>`
        : null}${status === 'verified' ? html`<span class="verified"><span aria-hidden="true">✓ </span>${msg('verified', { id: 'people.verified' })}</span>` : null}
      ${status === 'changed'
        ? html`<p class="warning" role="note">
            ${msg(str`${member.name}'s key changed since you last saw them: compare safety numbers again.`, { id: 'people.key-changed' })}
          </p>`
        : null}
      ${self ? null : this.actions(member, status)}
    </li>`;
  }

  /** What one can do about another person: every per-person action goes here, each with its panel below. */
  protected actions(member: RosterEntry, status: KeyStatus) {
    if (status === 'none') return html`<div class="actions">${this.#messageButton(member.name)}${this.#fileButton(member)}</div>`;
    const open = this.open === member.id;
    const panelId = `safety-${member.id}`;
    return html`
      <div class="actions">
        ${this.#messageButton(member.name)}${this.#fileButton(member)}
        <button
          type="button"
          aria-label=${msg(str`Safety number with ${member.name}`, { id: 'people.safety-number-with' })}
          aria-expanded=${open ? 'true' : 'false'}
          aria-controls=${panelId}
          @click=${() => this.#toggle(open ? null : member.id)}
        >${msg('Safety number', { id: 'people.safety-number' })}</button>
      </div>
      ${open
        ? html`<safety-number-panel
            id=${panelId}
            peerId=${member.id}
            name=${member.name}
            .number=${this.#safetyNumber(member)}
            ?verified=${status === 'verified'}
            @keydown=${this.#closeOnEscape}
          ></safety-number-panel>`
        : null}
    `;
  }

  #toggle(peerId: string | null): void {
    if (peerId !== null) void this.#panel.get().catch(() => undefined);
    this.open = peerId;
  }

  #safetyNumber(member: RosterEntry): SafetyNumber | null {
    const key = `${member.id} ${member.identity ?? ''}`;
    if (this.#computed?.key !== key) this.#computed = { key, number: this.safetyNumberOf(member.id) };
    return this.#computed.number;
  }

  /** Escape closes the open panel and puts focus back on its button. */
  #closeOnEscape(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || this.open === null) return;
    const id = this.open;
    this.open = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`[aria-controls="safety-${CSS.escape(id)}"]`)?.focus());
  }

  /** Send file: a file for this person alone (sealed for them; the host relays what it cannot read). */
  #fileButton(member: RosterEntry) {
    if (member.identity === undefined) return null;
    const pick = () => this.dispatchEvent(appEvent('send-file-to-person', { peerId: member.id, name: member.name }));
    return html`<button type="button" class="message" aria-label=${msg(str`Send file to ${member.name}`, { id: 'people.send-file-to' })}
      @click=${pick}>${msg('Send file', { id: 'people.send-file' })}</button>`;
  }

  #messageButton(name: string) {
    const start = () => this.dispatchEvent(appEvent('message-person', { name }));
    return html`<button type="button" class="message" aria-label=${msg(str`Message ${name}`, { id: 'people.message-to' })}
      @click=${start}>${msg('Message', { id: 'people.message' })}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'people-list': PeopleList;
  }
}
