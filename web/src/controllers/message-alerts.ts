import type { TimelineEntry } from '../../../shared/timeline.ts';
import { burstSummary } from '../components/notice-text.ts';
import { notify } from '../platform/secure-context.ts';
import type { Preferences } from '../storage/preferences.ts';
import { isOthersChat, NewLines } from './unread-title.ts';

/** At most one tone this often, however fast lines arrive. */
export const TONE_INTERVAL_MS = 2000;

/** How the page makes itself heard. */
export interface AlertOutlets {
  /** Plays the short tone. */
  tone(): void;
  /** Shows (or replaces) the room's desktop notification. */
  notify(body: string): void;
  readonly now: () => number;
}

/**
 * Desktop notifications and the tone for lines others write while the tab is hidden, each as the person switched
 * it on. The first look only notes what the log holds (it may be loaded when a switch is turned on, long after those
 * lines came). Private messages, and every line of a private room, are counted, never quoted: a notification can show
 * on a locked screen.
 */
export class MessageAlerts {
  readonly #outlets: AlertOutlets;
  readonly #quote: boolean;
  readonly #lines = new NewLines();
  #primed = false;
  #lastTone = Number.NEGATIVE_INFINITY;

  /** `quote`: whether a notification may show a room message's text (false in private rooms). */
  constructor(outlets: AlertOutlets, quote: boolean) {
    this.#outlets = outlets;
    this.#quote = quote;
  }

  /** The log now holds `entries`; `hidden`: the tab is in the background. */
  update(entries: readonly TimelineEntry[], hidden: boolean, preferences: Preferences): void {
    const fresh = this.#lines.take(entries).filter(isOthersChat);
    const primed = this.#primed;
    this.#primed = true;
    if (!primed || !hidden || fresh.length === 0) return;
    const now = this.#outlets.now();
    if (preferences.sound && now - this.#lastTone >= TONE_INTERVAL_MS) {
      this.#lastTone = now;
      this.#outlets.tone();
    }
    if (preferences.notifications) this.#outlets.notify(burstSummary(fresh, { quote: this.#quote && fresh.every((line) => !line.direct) }));
  }
}

/** The browser's outlets: a Web Audio tone (allowed on plain http too) and a notification tagged with the room. */
export function browserOutlets(room: string): AlertOutlets {
  let audio: AudioContext | null = null;
  return {
    now: () => Date.now(),
    notify: (body) => void notify(`ChatUs · ${room}`, body, `chatus-${room}`),
    tone: () => {
      audio ??= new AudioContext();
      // A context made without a click starts suspended; the person's earlier clicks on the page let it resume.
      void audio.resume().catch(() => undefined);
      playTone(audio);
    },
  };
}

/** A soft 0.25 s tone at 880 Hz, faded in and out so that it does not click. */
function playTone(audio: AudioContext): void {
  const start = audio.currentTime;
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.frequency.value = 880;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.15, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.25);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start(start);
  oscillator.stop(start + 0.3);
}
