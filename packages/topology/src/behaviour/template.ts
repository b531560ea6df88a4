/** The placeholders a producer's payload, routing key and text properties may use. */
export const TEMPLATE_VARIABLES = ['n', 'messageId', 'routingKey', 'timestamp'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export interface TemplateValues {
  /** The producer's message counter, 1 for its first message. */
  n?: number;
  messageId?: string;
  routingKey?: string;
  /** When the message is sent, in ms since the epoch; rendered as ISO 8601 text. */
  timestamp?: number;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

function isVariable(name: string): name is TemplateVariable {
  return (TEMPLATE_VARIABLES as readonly string[]).includes(name);
}

function valueOf(name: TemplateVariable, values: TemplateValues): string | undefined {
  switch (name) {
    case 'n':
      return values.n === undefined ? undefined : String(values.n);
    case 'timestamp':
      return values.timestamp === undefined ? undefined : new Date(values.timestamp).toISOString();
    default:
      return values[name];
  }
}

/**
 * Fills `{{n}}`, `{{messageId}}`, `{{routingKey}}` and `{{timestamp}}` in `template`. A
 * placeholder Warren does not know, or one without a value yet, stays as written, so a learner
 * sees it in the message instead of an empty string.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  if (!template.includes('{{')) return template;
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!isVariable(name)) return whole;
    return valueOf(name, values) ?? whole;
  });
}

/** The known placeholders `template` uses, each once, in order of first use. */
export function templateVariables(template: string): TemplateVariable[] {
  const found: TemplateVariable[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (isVariable(name) && !found.includes(name)) found.push(name);
  }
  return found;
}

/** Placeholders in `template` that Warren does not know (likely typos such as `{{count}}`). */
export function unknownTemplateVariables(template: string): string[] {
  const found: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!isVariable(name) && !found.includes(name)) found.push(name);
  }
  return found;
}
