// German words for ChatUs, in the format lit-localize generates for runtime mode: one entry per msg() id, with
// ${0}, ${1} … standing for the English source's placeholders in their order there. Downloaded only when German is
// shown; test/unit/web/localisation.test.ts checks that it has every id of the source, and no other.
import { str } from '@lit/localize';
import { html } from 'lit';

/** The German catalogue. */
export const templates = {
  // The app shell's sentences about joining.
  'app.load-failed': 'ChatUs konnte nicht vom Server geladen werden. Prüfe die Verbindung und lade die Seite neu.',
  'app.connection-failed': 'die Verbindung ist abgebrochen',
  'app.error.name-taken': 'Dieser Name ist in diesem Raum vergeben. Wähle einen anderen.',
  'app.error.room-full': 'Dieser Raum ist voll. Versuche es später noch einmal oder erstelle einen neuen Raum.',
  'app.error.private-room': 'Dieser Raum ist privat. Öffne ihn mit dem ganzen Einladungslink, samt dem Teil nach #.',
  'app.error.room-not-private':
    'Ein offener Raum nutzt gerade die Kennung dieses privaten Raums. Versuche es erneut, wenn er leer ist, oder erstelle einen neuen privaten Raum.',
  'app.error.disconnected': str`Der Server ist nicht erreichbar. Prüfe die Server-Adresse (Host:Port) und ob ChatUs dort läuft. (${0})`,
  'app.error.join-failed': str`Beitreten nicht möglich: ${0}`,
  // The join form.
  'join.lead': 'Gruppenchat, der von Browser zu Browser geht.',
  'join.invited': html`Du bist in <strong dir="auto">${0}</strong> eingeladen.`,
  'join.name': 'Name',
  'join.private-note':
    'Privater Raum aus deinem Einladungslink. Nur wer den Link hat, kann beitreten, und der Server kann nichts mitlesen.',
  'join.room': 'Raum',
  'join.room-hint': 'Leer lassen, um einen neuen Raum zu erstellen.',
  'join.title': 'Raumtitel',
  'join.optional': '(optional)',
  'join.title-hint': 'Wird im Raum und in deinem Einladungslink angezeigt.',
  'join.server': 'Server',
  'join.server-hint': 'Der ChatUs-Server als Host:Port.',
  'join.joining': 'Trete bei…',
  'join.join': 'Beitreten',
  'join.create-private': 'Privaten Raum erstellen',
  'join.language': 'Sprache',
  'join.error.name-empty': 'Name: Gib den Namen ein, den die anderen sehen.',
  'join.error.name-long': str`Name: höchstens ${0} Zeichen, bitte kürzen.`,
  'join.error.name-invisible': 'Name: Unsichtbare Zeichen und Steuerzeichen sind nicht erlaubt.',
  'join.error.room': 'Raum: 1–64 Buchstaben, Ziffern, „-“ oder „_“, oder leer lassen, um einen Raum zu erstellen.',
  'join.error.server-empty': 'Server: Gib Host:Port des ChatUs-Servers ein.',
  'join.error.server-form': 'Server: Schreibe ihn als Host:Port, zum Beispiel 192.168.1.20:8080.',
  // The room's header, side panel and files.
  'room.untitled': str`Raum ${0}`,
  'room.people': str`Personen (${0})`,
  'room.invite': 'Einladen',
  'room.leave': 'Verlassen',
  'room.side': 'Personen und Einladung',
  'room.attach-file': 'Datei anhängen',
  'room.files-for-one': 'Dateien für eine Person',
  'room.attach': html`Datei<span class="wide-only"> anhängen</span>`,
  'room.file-not-sent': str`${0} wurde nicht gesendet: ${1}.`,
  'room.status.reconnecting': 'verbinde erneut mit dem Server…',
  'room.status.connecting': 'verbinde',
  'room.status.left': 'verlassen',
  'room.status.failed': 'fehlgeschlagen',
  'room.status.host': 'verbunden · du leitest diesen Raum',
  'room.status.connected': 'verbunden',
  'room.status.to-host': 'verbinde mit dem Gastgeber…',
  // The message box.
  'composer.message': 'Nachricht',
  'composer.placeholder': 'Nachricht schreiben (/msg NAME Text: privat; quit zum Verlassen)',
  'composer.send': 'Senden',
  'composer.too-long': str`Zu lang: ${0} Zeichen; erlaubt sind ${1}. Kürze den Text oder teile ihn auf.`,
  // People.
  'people.list': 'Personen',
  'people.host': 'Gastgeber',
  'people.you': 'du',
  'people.verified': 'verifiziert',
  'people.key-changed': str`Der Schlüssel von ${0} hat sich geändert, seit du die Person zuletzt gesehen hast: Vergleicht die Sicherheitsnummern erneut.`,
  'people.safety-number-with': str`Sicherheitsnummer mit ${0}`,
  'people.safety-number': 'Sicherheitsnummer',
  'people.send-file-to': str`Datei an ${0} senden`,
  'people.send-file': 'Datei senden',
  'people.message-to': str`Nachricht an ${0}`,
  'people.message': 'Nachricht',
};
