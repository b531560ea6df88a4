import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  hclString,
  hclValue,
  identifier,
  pyValue,
  shellQuote,
  tsString,
  tsValue,
  urlSegment,
} from './literals';

/** Names users really type, and the ones that break naive quoting. */
const NAMES = [
  'orders',
  '',
  "it's",
  'say "hi"',
  'back\\slash',
  'tab\tand\nnewline',
  '$HOME ${x} %{y} `id`',
  'ü 🐇 中文',
  'line\u2028separator',
  "'; rm -rf / #",
  '*.{a,b}[c]?',
];

const evaluate = (expression: string): unknown =>
  // The literal is the subject under test: evaluating it is the only faithful check.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  (new Function(`return (${expression});`) as () => unknown)();

describe('TypeScript literals', () => {
  it.each(NAMES)('%j reads back as itself', (name) => {
    expect(evaluate(tsString(name))).toBe(name);
  });

  it('writes argument tables with their JSON types', () => {
    const table = {
      'x-max-length': 10,
      ratio: 1.5,
      on: true,
      off: null,
      list: [1, 'a'],
      nested: { "it's": 'x' },
    };
    expect(evaluate(tsValue(table))).toEqual(table);
    expect(tsValue({ 'x-match': 'all', plain: 1 })).toBe("{ 'x-match': 'all', plain: 1 }");
  });
});

describe('shell words', () => {
  it.each(NAMES.filter((n) => n !== ''))('%j reaches a command as itself', (name) => {
    const result = spawnSync('bash', ['-c', `printf '%s' ${shellQuote(name)}`], {
      encoding: 'utf8',
    });
    expect(result.stdout).toBe(name);
  });

  it('leaves plain words bare', () => {
    expect(shellQuote('orders.eu')).toBe('orders.eu');
    expect(shellQuote('name=orders')).toBe('name=orders');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('Python literals', () => {
  it('read back as the same values', () => {
    const values = [
      ...NAMES,
      { 'x-max-length': 10, on: true, off: null, list: [1, 'a'], [NAMES[3]!]: NAMES[6] },
    ];
    const script = `import ast, json, sys\nprint(json.dumps([ast.literal_eval(line) for line in sys.stdin.read().split("\\0")]))`;
    const result = spawnSync('python3', ['-c', script], {
      input: values.map(pyValue).join('\0'),
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(values);
  });
});

describe('HCL strings', () => {
  it('escape quotes, backslashes, control characters and template openers', () => {
    expect(hclString('say "hi" \\ now')).toBe('"say \\"hi\\" \\\\ now"');
    expect(hclString('a\nb\tc')).toBe('"a\\nb\\tc"');
    expect(hclString('${var.x} and %{ if }')).toBe('"$${var.x} and %%{ if }"');
    expect(hclString('$ alone, % alone')).toBe('"$ alone, % alone"');
    expect(hclString('ü 🐇')).toBe('"ü 🐇"');
  });

  it('write tables on one line', () => {
    expect(hclValue({ 'x-message-ttl': 60000, on: true, list: [1, 'a'], t: { a: 1 } })).toBe(
      '{ "x-message-ttl" = 60000, "on" = true, "list" = [1, "a"], "t" = { "a" = 1 } }',
    );
    expect(hclValue({})).toBe('{}');
  });
});

describe('URL path segments', () => {
  it.each(NAMES)('%j decodes back and holds only unreserved characters and escapes', (name) => {
    const segment = urlSegment(name);
    expect(decodeURIComponent(segment)).toBe(name);
    expect(segment).toMatch(/^[A-Za-z0-9._~%-]*$/);
  });
});

describe('identifiers', () => {
  it('are made from names, unique, and never start with a digit', () => {
    const taken = new Set<string>();
    expect(identifier('publish', 'order created', 'camel', taken, 'publish1')).toBe(
      'publishOrderCreated',
    );
    expect(identifier('publish', 'order-created', 'camel', taken, 'publish2')).toBe(
      'publishOrderCreated_2',
    );
    expect(identifier('consume', 'Café ü', 'snake', taken, 'consume_1')).toBe('consume_cafe_u');
    expect(identifier('', '🐇', 'snake', taken, 'queue_4')).toBe('queue_4');
    expect(identifier('', '1st queue', 'snake', taken, 'queue_5')).toBe('_1st_queue');
    expect(identifier('', 'orders.eu', 'camel', taken, 'x')).toBe('ordersEu');
  });
});
