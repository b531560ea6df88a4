import { describe, expect, it } from 'vitest';
import { tokenize } from './code-tokens';

const joined = (code: string, language: string) =>
  tokenize(code, language)
    .map((t) => t.text)
    .join('');
const kinds = (code: string, language: string) =>
  tokenize(code, language)
    .filter((t) => t.kind !== 'plain')
    .map((t) => `${t.kind}:${t.text}`);

describe('tokenize', () => {
  it('never changes the code', () => {
    const samples: [string, string][] = [
      [
        "import amqp from 'amqplib';\n// declare\nawait ch.assertExchange('x', 'topic');",
        'typescript',
      ],
      ['channel.exchange_declare(exchange="x")  # comment\nTrue', 'python'],
      ['curl -u "$USER:$PASS" -X PUT ${BASE}/api # note\necho a#b', 'bash'],
      ['resource "rabbitmq_exchange" "x" {\n  name = "x" # c\n}', 'hcl'],
      ['{\n  "name": "x",\n  "durable": true,\n  "n": 5\n}', 'json'],
      ['anything at all', 'cobol'],
    ];
    for (const [code, language] of samples) expect(joined(code, language)).toBe(code);
  });

  it('tells JSON keys from string values', () => {
    expect(kinds('{"name": "orders", "durable": true}', 'json')).toEqual([
      'key:"name"',
      'string:"orders"',
      'key:"durable"',
      'keyword:true',
    ]);
  });

  it('finds comments, keywords, strings and numbers in TypeScript', () => {
    expect(kinds("const n = 5; // five\nawait f('a')", 'typescript')).toEqual([
      'keyword:const',
      'number:5',
      'comment:// five',
      'keyword:await',
      "string:'a'",
    ]);
  });

  it('takes # as a shell comment only at the start of a word', () => {
    expect(kinds('echo a#b # c', 'bash')).toEqual(['keyword:echo', 'comment:# c']);
    expect(kinds('curl "$URL" ${HOST}', 'bash')).toEqual(['string:"$URL"', 'variable:${HOST}']);
  });
});
