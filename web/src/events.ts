import type { Preferences } from './storage/preferences.ts';

/**
 * Every event a ChatUs component fires, in one place. Children fire them in response to a person's action, never
 * because a property was set; they bubble and cross shadow roots so the app shell hears them.
 */

/** The person asked to join a room. */
export interface JoinRequest {
  readonly name: string;
  /** Empty means: create a new room. */
  readonly room: string;
  /** host:port of the signaling server. */
  readonly server: string;
  /** The person pressed Create private room: a new private room (Room is ignored). */
  readonly createPrivate?: boolean;
  /** The room title the person typed (the form asks when no invite named the room), uncleaned; absent: keep the invite's. */
  readonly title?: string;
}

/** The person submitted a message. */
export interface ChatSubmit {
  readonly text: string;
}

/** The person marked someone's key verified after comparing safety numbers, or took the mark back. */
export interface VerifyRequest {
  readonly peerId: string;
  readonly verified: boolean;
}


/** The person submitted a private message (`/msg NAME text`) for the roster member `peerId`. */
export interface DirectSubmit {
  readonly peerId: string;
  readonly text: string;
}

/** The person asked to write a private message to `name` (People: Message). */
export interface MessagePerson {
  readonly name: string;
}

/** The person asked to send a file to the roster member `peerId` alone (People: Send file). */
export interface SendFileToPerson {
  readonly peerId: string;
  readonly name: string;
}

/** The person pressed Cancel on a file transfer (or Resume on one a page reload interrupted: the same detail). */
export interface FileCancel {
  readonly transfer: string;
}

/** The person picked or dropped files to send to the room. */
export interface FilesChosen {
  readonly files: readonly File[];
}

/** The message box changed: it holds a room message being written (`active`), or no longer does. */
export interface ComposerTyping {
  readonly active: boolean;
}

/** The person picked a language with the switch. */
export interface LanguagePick {
  /** A language ChatUs speaks (see web/src/app/language.ts), as its primary tag: `en`, `de`. */
  readonly language: string;
}

declare global {
  interface HTMLElementEventMap {
    'file-cancel-requested': CustomEvent<FileCancel>;
    'file-resume-requested': CustomEvent<FileCancel>;
    'files-chosen': CustomEvent<FilesChosen>;
    'room-join-requested': CustomEvent<JoinRequest>;
    'chat-submit': CustomEvent<ChatSubmit>;
    'direct-submit': CustomEvent<DirectSubmit>;
    'message-person': CustomEvent<MessagePerson>;
    'send-file-to-person': CustomEvent<SendFileToPerson>;
    'room-leave-requested': CustomEvent<undefined>;
    'key-verify-requested': CustomEvent<VerifyRequest>;
    'composer-typing': CustomEvent<ComposerTyping>;
    /** The person changed a switch in Settings: every preference, as they are now. */
    'preferences-changed': CustomEvent<Preferences>;
    'language-picked': CustomEvent<LanguagePick>;
  }
}

/** The names of the events above. */
type AppEventName =
  | 'room-join-requested'
  | 'chat-submit'
  | 'direct-submit'
  | 'message-person'
  | 'send-file-to-person'
  | 'room-leave-requested'
  | 'key-verify-requested'
  | 'file-cancel-requested'
  | 'file-resume-requested'
  | 'files-chosen'
  | 'composer-typing'
  | 'preferences-changed'
  | 'language-picked';

/** Makes one of the events above, bubbling and composed. */
export function appEvent<K extends AppEventName>(
  type: K,
  detail: HTMLElementEventMap[K]['detail'],
): HTMLElementEventMap[K] {
  return new CustomEvent(type, { detail, bubbles: true, composed: true }) as HTMLElementEventMap[K];
}
