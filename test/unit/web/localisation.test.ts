import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { chooseLanguage, LANGUAGES, SOURCE_LANGUAGE } from '../../../web/src/app/language.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const sourceDir = join(root, 'web/src');
const localesDir = join(sourceDir, 'locales');

/** How a message is written: plain text, `str` with placeholders, or an `html` template with placeholders. */
type MessageKind = 'string' | 'str' | 'html';

/** One `msg()` call of the English source. */
interface SourceMessage {
  readonly id: string;
  readonly kind: MessageKind;
  readonly placeholders: number;
  readonly where: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === localesDir ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every `msg()` call in the client's source, read with the TypeScript parser; a call without a literal id is an error. */
function sourceMessages(): { readonly messages: SourceMessage[]; readonly problems: string[] } {
  const messages: SourceMessage[] = [];
  const problems: string[] = [];
  for (const file of sourceFiles(sourceDir)) {
    const text = readFileSync(file, 'utf8');
    const tree = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'msg') {
        const where = `${relative(root, file)}:${tree.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        const [template, options] = node.arguments;
        const id = options && ts.isObjectLiteralExpression(options) ? literalId(options) : undefined;
        const shape = template ? templateShape(template) : undefined;
        if (id === undefined || shape === undefined) problems.push(`${where}: msg() needs a literal template and { id: '…' }`);
        else messages.push({ id, ...shape, where });
      }
      ts.forEachChild(node, visit);
    };
    visit(tree);
  }
  return { messages, problems };
}

function literalId(options: ts.ObjectLiteralExpression): string | undefined {
  for (const property of options.properties) {
    if (ts.isPropertyAssignment(property) && property.name.getText() === 'id' && ts.isStringLiteral(property.initializer)) {
      return property.initializer.text;
    }
  }
  return undefined;
}

function templateShape(node: ts.Expression): { kind: MessageKind; placeholders: number } | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { kind: 'string', placeholders: 0 };
  if (!ts.isTaggedTemplateExpression(node) || !ts.isIdentifier(node.tag)) return undefined;
  const kind = node.tag.text === 'str' ? 'str' : node.tag.text === 'html' ? 'html' : undefined;
  if (!kind) return undefined;
  return { kind, placeholders: ts.isTemplateExpression(node.template) ? node.template.templateSpans.length : 0 };
}

/** A catalogue entry's shape: its kind, and the source placeholders it uses (`${0}`, `${1}` … in any order). */
function entryShape(entry: unknown): { kind: MessageKind; uses: number[] } {
  if (typeof entry === 'string') return { kind: 'string', uses: [] };
  const template = entry as { strTag?: true; values: unknown[] };
  const uses = template.values.map(Number).sort((a, b) => a - b);
  return { kind: template.strTag ? 'str' : 'html', uses };
}

const targetLanguages = LANGUAGES.map((language) => language.code).filter((code) => code !== SOURCE_LANGUAGE);

describe('the localisation catalogue', () => {
  const { messages, problems } = sourceMessages();

  it('finds the English source: every msg() has a literal id, used for one text only', () => {
    expect(problems).toEqual([]);
    expect(messages.length).toBeGreaterThan(20);
    const byId = new Map<string, SourceMessage>();
    for (const message of messages) {
      const earlier = byId.get(message.id);
      // The same id twice is fine only for the same words (a message used in two places).
      if (earlier) expect([message.where, message.kind, message.placeholders]).toEqual([message.where, earlier.kind, earlier.placeholders]);
      byId.set(message.id, message);
    }
  });

  it('has one catalogue per target language, and no catalogue for a language ChatUs does not offer', () => {
    const files = readdirSync(localesDir).filter((name) => name.endsWith('.ts')).map((name) => name.slice(0, -3));
    expect(files.sort()).toEqual([...targetLanguages].sort());
  });

  it.each(targetLanguages)('%s has every key of the English source, no other, with the same placeholders', async (language) => {
    const { templates } = (await import(`../../../web/src/locales/${language}.ts`)) as { templates: Record<string, unknown> };
    const sourceIds = [...new Set(messages.map((message) => message.id))].sort();
    expect(Object.keys(templates).sort()).toEqual(sourceIds);
    for (const message of messages) {
      const entry = templates[message.id];
      if (entry === undefined) continue;
      const expected = { kind: message.kind, uses: Array.from({ length: message.placeholders }, (_, index) => index) };
      expect(entryShape(entry), `${language} ${message.id} (${message.where})`).toEqual(expected);
      if (typeof entry === 'string') expect(entry.trim(), `${language} ${message.id}`).not.toBe('');
    }
  });
});

describe('chooseLanguage', () => {
  it.each([
    { picked: null, browser: ['de-DE', 'en-US'], chosen: 'de' },
    { picked: null, browser: ['fr-FR', 'de-AT', 'en'], chosen: 'de' },
    { picked: null, browser: ['en-GB', 'de'], chosen: 'en' },
    { picked: null, browser: ['fr', 'ja'], chosen: 'en' },
    { picked: null, browser: [], chosen: 'en' },
    { picked: 'en', browser: ['de-DE'], chosen: 'en' },
    { picked: 'de', browser: ['en-US'], chosen: 'de' },
    { picked: 'xx', browser: ['DE-ch'], chosen: 'de' },
  ])('picked $picked, browser $browser: $chosen', ({ picked, browser, chosen }) => {
    expect(chooseLanguage(picked, browser)).toBe(chosen);
  });
});
