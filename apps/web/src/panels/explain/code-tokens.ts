/**
 * Just enough highlighting for exported code to read well on a projector: comments, strings,
 * numbers, keywords, JSON keys and shell variables. Not a parser; anything it does not know
 * stays plain text, so the code itself is always shown unchanged.
 */

export type TokenKind = 'plain' | 'comment' | 'string' | 'number' | 'keyword' | 'key' | 'variable';

export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS: Record<string, readonly string[]> = {
  typescript: [
    'import',
    'from',
    'export',
    'const',
    'let',
    'async',
    'await',
    'function',
    'return',
    'new',
    'if',
    'else',
    'for',
    'of',
    'try',
    'catch',
    'finally',
    'throw',
    'true',
    'false',
    'null',
    'undefined',
    'void',
  ],
  python: [
    'import',
    'from',
    'def',
    'return',
    'with',
    'as',
    'for',
    'in',
    'if',
    'else',
    'try',
    'except',
    'finally',
    'True',
    'False',
    'None',
  ],
  bash: ['if', 'then', 'else', 'fi', 'for', 'in', 'do', 'done', 'set', 'export', 'echo'],
  hcl: ['terraform', 'provider', 'resource', 'variable', 'locals', 'output', 'true', 'false'],
  json: ['true', 'false', 'null'],
};

const COMMENT: Record<string, string> = {
  typescript: String.raw`\/\/[^\n]*|\/\*[\s\S]*?\*\/`,
  python: String.raw`#[^\n]*`,
  // In a shell a # starts a comment only at the start of a word.
  bash: String.raw`(?<![^\s;])#[^\n]*`,
  hcl: String.raw`#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/`,
};

const STRING: Record<string, string> = {
  typescript: String.raw`'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\x60(?:[^\x60\\]|\\.)*\x60`,
  python: String.raw`"""[\s\S]*?"""|'''[\s\S]*?'''|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"`,
  bash: String.raw`'[^']*'|"(?:[^"\\]|\\.)*"`,
  hcl: String.raw`"(?:[^"\\\n]|\\.)*"`,
  json: String.raw`"(?:[^"\\\n]|\\.)*"`,
};

export function languageOf(language: string): string {
  const name = language.toLowerCase();
  if (['typescript', 'javascript', 'ts', 'js'].includes(name)) return 'typescript';
  if (['python', 'py'].includes(name)) return 'python';
  if (['bash', 'sh', 'shell'].includes(name)) return 'bash';
  if (['hcl', 'terraform', 'tf'].includes(name)) return 'hcl';
  if (name === 'json') return 'json';
  return 'plain';
}

const scanners = new Map<string, RegExp>();

function scanner(language: string): RegExp | undefined {
  if (language === 'plain') return undefined;
  let re = scanners.get(language);
  if (!re) {
    const parts = [
      COMMENT[language] ? `(?<comment>${COMMENT[language]})` : '',
      `(?<string>${STRING[language] ?? STRING.json})`,
      language === 'bash' ? String.raw`(?<variable>\$\{[^}\n]*\}|\$[A-Za-z_][A-Za-z0-9_]*)` : '',
      String.raw`(?<number>\b\d+(?:\.\d+)?\b)`,
      String.raw`(?<word>[A-Za-z_][A-Za-z0-9_]*)`,
    ].filter((p) => p !== '');
    re = new RegExp(parts.join('|'), 'g');
    scanners.set(language, re);
  }
  return re;
}

export function tokenize(code: string, languageName: string): Token[] {
  const language = languageOf(languageName);
  const re = scanner(language);
  if (!re) return [{ kind: 'plain', text: code }];
  const keywords = new Set(KEYWORDS[language] ?? []);
  const tokens: Token[] = [];
  const push = (kind: TokenKind, text: string) => {
    if (text === '') return;
    const last = tokens.at(-1);
    if (last && last.kind === kind) last.text += text;
    else tokens.push({ kind, text });
  };
  let at = 0;
  re.lastIndex = 0;
  for (let match = re.exec(code); match; match = re.exec(code)) {
    push('plain', code.slice(at, match.index));
    const groups = match.groups ?? {};
    const text = match[0];
    if (groups.comment !== undefined) push('comment', text);
    else if (groups.string !== undefined) {
      // A JSON or HCL string followed by ':' or '=' names a field.
      const next = /^\s*[:=]/.test(code.slice(re.lastIndex, re.lastIndex + 8));
      push(next && (language === 'json' || language === 'hcl') ? 'key' : 'string', text);
    } else if (groups.variable !== undefined) push('variable', text);
    else if (groups.number !== undefined) push('number', text);
    else push(keywords.has(text) ? 'keyword' : 'plain', text);
    at = re.lastIndex;
  }
  push('plain', code.slice(at));
  return tokens;
}
