import { localized, msg } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { appEvent } from '../events.ts';
import { askNotificationPermission, notificationAccess, type NotificationAccess } from '../platform/secure-context.ts';
import { defaultPreferences, type Preferences } from '../storage/preferences.ts';
import './language-switch.ts';
import { focusRing } from './focus-ring.ts';

/** Why the notifications switch cannot be turned on, in a sentence; empty when it can. */
export function notificationNote(access: NotificationAccess): string {
  switch (access) {
    case 'insecure':
      return msg('Desktop notifications need https or localhost: this page is plain http. The tab’s title still counts new messages, and the sound works here.', {
        id: 'settings.note.insecure',
      });
    case 'unsupported':
      return msg('This browser has no desktop notifications. The tab’s title still counts new messages.', { id: 'settings.note.missing' });
    case 'denied':
      return msg('This browser blocks notifications from this site. Allow them in its site settings to turn them on here.', { id: 'settings.note.denied' });
    default:
      return '';
  }
}

/**
 * The switches of Settings: typing, desktop notifications (asked for only when the person turns them on, never
 * before), and a tone, both for new messages while the tab is in the background. Each change goes up as
 * `preferences-changed` with every preference.
 */
@customElement('settings-panel')
@localized()
export class SettingsPanel extends LitElement {
  static override styles = [
    focusRing,
    css`
    :host { display: flex; flex-direction: column; gap: 0.5rem; margin-top: 0.5rem; }
    label { display: flex; gap: 0.45rem; align-items: flex-start; }
    input { margin: 0.15rem 0 0; accent-color: var(--accent); }
    .note { margin: 0 0 0 1.4rem; color: var(--muted); }
  `,
  ];

  @property({ attribute: false }) preferences: Preferences = defaultPreferences;
  /** The language shown, for the Language switch. */
  @property() language = 'en';
  /** Where notifications stand on this page; read again after asking. */
  @state() private access: NotificationAccess = notificationAccess();

  override render() {
    const { typing, sound } = this.preferences;
    const note = notificationNote(this.access);
    const notifications = this.preferences.notifications && this.access === 'granted';
    return html`
      <label><input type="checkbox" role="switch" .checked=${typing} @change=${(event: Event) => this.#set({ typing: checked(event) })} />
        ${msg('Show who is typing, and show others when I type', { id: 'settings.typing' })}</label>
      <label><input type="checkbox" role="switch" .checked=${notifications} ?disabled=${note !== ''} aria-describedby=${note ? 'notifications-note' : nothing}
          @change=${this.#notifications} />
        ${msg('Desktop notifications for new messages while this tab is in the background', { id: 'settings.notifications' })}</label>
      ${note ? html`<p class="note" id="notifications-note">${note}</p>` : null}
      <label><input type="checkbox" role="switch" .checked=${sound} @change=${(event: Event) => this.#set({ sound: checked(event) })} />
        ${msg('Sound for new messages while this tab is in the background', { id: 'settings.sound' })}</label>
      <language-switch language=${this.language}></language-switch>
    `;
  }

  /** Turning notifications on asks the browser, from this click; a refusal leaves the switch off and says why. */
  async #notifications(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    if (!input.checked) return this.#set({ notifications: false });
    this.access = await askNotificationPermission();
    input.checked = this.access === 'granted';
    this.#set({ notifications: input.checked });
  }

  #set(change: Partial<Preferences>): void {
    this.dispatchEvent(appEvent('preferences-changed', { ...this.preferences, ...change }));
  }
}

const checked = (event: Event): boolean => (event.target as HTMLInputElement).checked;

declare global {
  interface HTMLElementTagNameMap {
    'settings-panel': SettingsPanel;
  }
}
