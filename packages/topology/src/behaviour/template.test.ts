import { describe, expect, it } from 'vitest';
import { renderTemplate, templateVariables, unknownTemplateVariables } from './template';

describe('renderTemplate', () => {
  const values = {
    n: 7,
    messageId: 'm-7',
    routingKey: 'order.create',
    timestamp: Date.UTC(2024, 0, 2, 3, 4, 5),
  };

  it('fills every known placeholder, with or without spaces inside the braces', () => {
    expect(
      renderTemplate(
        '{"n":{{n}},"id":"{{ messageId }}","key":"{{routingKey}}","at":"{{timestamp}}"}',
        values,
      ),
    ).toBe('{"n":7,"id":"m-7","key":"order.create","at":"2024-01-02T03:04:05.000Z"}');
  });

  it('fills a placeholder used several times', () => {
    expect(renderTemplate('{{n}}-{{n}}', { n: 3 })).toBe('3-3');
  });

  it('leaves unknown placeholders and ones without a value as written', () => {
    expect(renderTemplate('{{count}} {{messageId}} {{n}}', { n: 1 })).toBe(
      '{{count}} {{messageId}} 1',
    );
  });

  it('returns text without placeholders unchanged', () => {
    expect(renderTemplate('hello {world}', values)).toBe('hello {world}');
    expect(renderTemplate('', values)).toBe('');
  });
});

describe('template variables', () => {
  it('lists the known placeholders once, in order, and the unknown ones apart', () => {
    const template = '{{routingKey}} {{n}} {{ n }} {{count}} {{timestamp}} {{count}}';
    expect(templateVariables(template)).toEqual(['routingKey', 'n', 'timestamp']);
    expect(unknownTemplateVariables(template)).toEqual(['count']);
  });
});
