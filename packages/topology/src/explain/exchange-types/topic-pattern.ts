import type { TopicStep } from '../types';

/**
 * The words of a routing key or binding pattern, split as the broker splits them
 * (rabbit_exchange_type_topic:split_topic_key): on every dot, so 'a..b' has an empty middle
 * word and '' has no words at all.
 */
export function topicWords(key: string): string[] {
  return key === '' ? [] : key.split('.');
}

/** A topic binding pattern prepared once for many messages. */
export interface TopicPattern {
  text: string;
  words: string[];
  /** No wildcard at all: the pattern matches exactly one routing key, itself. */
  literal: boolean;
}

export function compileTopicPattern(pattern: string): TopicPattern {
  const words = topicWords(pattern);
  return { text: pattern, words, literal: !words.some((w) => w === '*' || w === '#') };
}

/**
 * Which suffixes of the pattern match which suffixes of the key: cell (i, j) is 1 when pattern
 * words from i match key words from j. Filled from the end in O(pattern words × key words),
 * so even 127 '#' against 128 words stays cheap (a backtracking walk is exponential there).
 */
function suffixTable(p: string[], k: string[]): Uint8Array {
  const width = k.length + 1;
  const table = new Uint8Array((p.length + 1) * width);
  table[p.length * width + k.length] = 1;
  for (let i = p.length - 1; i >= 0; i--) {
    const word = p[i];
    for (let j = k.length; j >= 0; j--) {
      let match: boolean;
      if (word === '#') {
        // '#' takes no word here, or takes key word j and stays.
        match =
          table[(i + 1) * width + j] === 1 || (j < k.length && table[i * width + j + 1] === 1);
      } else {
        match =
          j < k.length && (word === '*' || word === k[j]) && table[(i + 1) * width + j + 1] === 1;
      }
      if (match) table[i * width + j] = 1;
    }
  }
  return table;
}

/**
 * Whether the pattern matches the routing key words. Same result as the broker's trie walk:
 * '*' takes exactly one word, '#' zero or more, any other pattern word must equal the key word.
 */
export function topicMatch(pattern: TopicPattern, key: string[]): boolean {
  if (pattern.literal) {
    const p = pattern.words;
    if (p.length !== key.length) return false;
    for (let i = 0; i < p.length; i++) if (p[i] !== key[i]) return false;
    return true;
  }
  return suffixTable(pattern.words, key)[0] === 1;
}

/**
 * How the pattern lines up with the key, word by word, for people. On a match, every pattern
 * word with the key words it took (each '#' as few as it can); otherwise the words that lined
 * up and the first that did not.
 */
export function topicSteps(pattern: TopicPattern, key: string[]): TopicStep[] {
  const p = pattern.words;
  const table = suffixTable(p, key);
  if (table[0] !== 1) return diagnose(p, key);
  const width = key.length + 1;
  const steps: TopicStep[] = [];
  let j = 0;
  for (let i = 0; i < p.length; i++) {
    const word = p[i] as string;
    if (word === '#') {
      let take = j;
      while (table[(i + 1) * width + take] !== 1) take++;
      steps.push({ pattern: '#', words: key.slice(j, take), ok: true });
      j = take;
    } else {
      steps.push({ pattern: word, words: [key[j] as string], ok: true });
      j++;
    }
  }
  return steps;
}

/** The failing line-up: literal and '*' words from the front, then from the back around '#'. */
function diagnose(p: string[], k: string[]): TopicStep[] {
  const steps: TopicStep[] = [];
  let i = 0;
  let j = 0;
  while (i < p.length && p[i] !== '#') {
    const word = p[i] as string;
    if (j === k.length) {
      steps.push({ pattern: word, words: [], ok: false });
      return steps;
    }
    const ok = word === '*' || word === k[j];
    steps.push({ pattern: word, words: [k[j] as string], ok });
    if (!ok) return steps;
    i++;
    j++;
  }
  if (i === p.length) {
    // The pattern ran out while the key still has words.
    steps.push({ words: k.slice(j), ok: false });
    return steps;
  }
  // A '#' follows: line up the pattern's tail with the key's tail.
  const tail: TopicStep[] = [];
  let pi = p.length - 1;
  let kj = k.length - 1;
  while (pi > i && p[pi] !== '#') {
    const word = p[pi] as string;
    if (kj < j) {
      tail.unshift({ pattern: word, words: [], ok: false });
      steps.push({ pattern: '#', words: [], ok: true }, ...tail);
      return steps;
    }
    const ok = word === '*' || word === k[kj];
    tail.unshift({ pattern: word, words: [k[kj] as string], ok });
    if (!ok) {
      steps.push({ pattern: '#', words: k.slice(j, kj), ok: true }, ...tail);
      return steps;
    }
    pi--;
    kj--;
  }
  // Several '#' with literal words between them that cannot all be placed.
  steps.push({
    pattern: p.slice(i, pi + 1).join('.'),
    words: k.slice(j, kj + 1),
    ok: false,
  });
  steps.push(...tail);
  return steps;
}

const quote = (s: string) => `'${s}'`;

/** "'order.#' matches 'order.create.critical': 'order' = 'order', '#' takes 'create.critical'". */
export function topicReason(
  pattern: string,
  key: string,
  matched: boolean,
  steps: TopicStep[],
): string {
  if (matched) {
    if (steps.length === 0)
      return `'' matches '': neither the pattern nor the routing key has words`;
    return `${quote(pattern)} matches ${quote(key)}: ${steps.map(describeStep).join(', ')}`;
  }
  const failing = steps.find((s) => !s.ok);
  const lined = steps.filter((s) => s.ok).map(describeStep);
  const why = failing ? describeFailure(failing) : 'the words do not line up';
  return `${quote(pattern)} does not match ${quote(key)}: ${lined.length > 0 ? `${lined.join(', ')}, but ` : ''}${why}`;
}

function describeStep(step: TopicStep): string {
  const taken = step.words.join('.');
  if (step.pattern === '#')
    return step.words.length === 0 ? `'#' takes no words` : `'#' takes ${quote(taken)}`;
  if (step.pattern === '*') return `'*' takes ${quote(taken)}`;
  return `${quote(step.pattern ?? '')} = ${quote(taken)}`;
}

function describeFailure(step: TopicStep): string {
  if (step.pattern === undefined)
    return `the pattern ends while the routing key goes on with ${quote(step.words.join('.'))}`;
  if (step.words.length === 0) {
    return step.pattern === '*'
      ? `the routing key ends where '*' needs one more word`
      : `the routing key ends where ${quote(step.pattern)} is needed`;
  }
  if (step.pattern.includes('#'))
    return `no way to place ${quote(step.pattern)} over ${quote(step.words.join('.'))}`;
  return `${quote(step.pattern)} ≠ ${quote(step.words.join('.'))}`;
}
