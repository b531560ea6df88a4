import type { Topology } from '@warren/topology';
import { buildScene, type EdgeKind, type SceneEdge, type SceneNode } from './scene';

/**
 * A diagram as a standalone SVG, from the document alone: no browser, no fonts to load, usable in
 * a README or a slide as is. Names are text (escaped, so markup in a name stays text); long ones
 * are shortened with the full name in a tooltip. With `embed`, the document travels inside the
 * image (a <metadata> element), so dropping the file back on Warren opens the diagram again.
 */

export type Theme = 'light' | 'dark';

export interface SvgOptions {
  theme?: Theme;
  /** Include the document in the image's metadata (default true). */
  embed?: boolean;
  /** Leave the background transparent (default false: the theme's background). */
  transparent?: boolean;
  /** The image's title (default: the document's name, else "Warren diagram"). */
  title?: string;
}

/** The XML namespace of the embedded document, and the element that holds it. */
export const DOCUMENT_NAMESPACE = 'https://warren.dev/ns/topology-document';
export const DOCUMENT_ELEMENT = 'warren:document';

interface Palette {
  background: string;
  text: string;
  muted: string;
  edge: string;
  label: string;
  kinds: Record<SceneNode['kind'], { stroke: string; fill: string }>;
}

const PALETTES: Record<Theme, Palette> = {
  light: {
    background: '#f7f8fb',
    text: '#1c2433',
    muted: '#667085',
    edge: '#8a94a6',
    label: '#ffffff',
    kinds: {
      producer: { stroke: '#0f9f6e', fill: '#e7f8f1' },
      exchange: { stroke: '#f0620f', fill: '#fff1e8' },
      queue: { stroke: '#2f6fed', fill: '#ebf2ff' },
      consumer: { stroke: '#7c5ce0', fill: '#f2eefe' },
    },
  },
  dark: {
    background: '#12161f',
    text: '#e6e9f0',
    muted: '#98a2b3',
    edge: '#6b7689',
    label: '#1b2130',
    kinds: {
      producer: { stroke: '#34c794', fill: '#123328' },
      exchange: { stroke: '#ff8a45', fill: '#3a2213' },
      queue: { stroke: '#6b9bff', fill: '#16264a' },
      consumer: { stroke: '#a48cff', fill: '#281f47' },
    },
  },
};

const KIND_LABEL: Record<SceneNode['kind'], string> = {
  producer: 'PRODUCER',
  exchange: 'EXCHANGE',
  queue: 'QUEUE',
  consumer: 'CONSUMER',
};

const DASHED: ReadonlySet<EdgeKind> = new Set(['alternate', 'dead-letter']);
const FONT =
  'font-family="ui-sans-serif, system-ui, -apple-system, \'Segoe UI\', Roboto, sans-serif"';
/** Average width of a character at the name's size, to shorten what would not fit. */
const CHAR_WIDTH = 7.4;

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `text` shortened with an ellipsis to about `width` pixels. */
export function fit(text: string, width: number, charWidth = CHAR_WIDTH): string {
  const room = Math.max(1, Math.floor(width / charWidth));
  return text.length <= room ? text : `${text.slice(0, room - 1)}…`;
}

export function renderSvg(document: Topology, options: SvgOptions = {}): string {
  const palette = PALETTES[options.theme ?? 'light'];
  const scene = buildScene(document);
  const { x, y, width, height } = scene.bounds;
  const title = options.title ?? document.name ?? 'Warren diagram';
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:warren="${DOCUMENT_NAMESPACE}" viewBox="${x} ${y} ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="warren-title">`,
    `<title id="warren-title">${escapeXml(title)}</title>`,
  ];
  if (options.embed !== false) {
    parts.push(
      `<metadata><${DOCUMENT_ELEMENT}>${escapeXml(JSON.stringify(document))}</${DOCUMENT_ELEMENT}></metadata>`,
    );
  }
  parts.push(
    '<defs>',
    `<marker id="warren-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="${palette.edge}"/></marker>`,
    '</defs>',
  );
  if (options.transparent !== true) {
    parts.push(
      `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="${palette.background}"/>`,
    );
  }
  parts.push(`<g class="edges">${scene.edges.map((e) => edge(e, palette)).join('')}</g>`);
  parts.push(`<g class="nodes">${scene.nodes.map((n) => node(n, palette)).join('')}</g>`);
  parts.push('</svg>');
  return parts.join('\n');
}

function edge(e: SceneEdge, palette: Palette): string {
  const x1 = e.from.x + e.from.width;
  const y1 = e.from.y + e.from.height / 2;
  const backwards = e.to.x <= x1;
  const x2 = backwards ? e.to.x + e.to.width / 2 : e.to.x;
  const y2 = backwards
    ? e.to.y > e.from.y
      ? e.to.y
      : e.to.y + e.to.height
    : e.to.y + e.to.height / 2;
  const bend = Math.max(40, Math.abs(x2 - x1) / 2);
  const c1 = { x: x1 + bend, y: y1 };
  const c2 = backwards ? { x: x2, y: y2 + (y2 > y1 ? -bend : bend) } : { x: x2 - bend, y: y2 };
  const path = `M${x1} ${y1}C${c1.x} ${c1.y} ${c2.x} ${c2.y} ${x2} ${y2}`;
  const dash = DASHED.has(e.kind) ? ' stroke-dasharray="6 4"' : '';
  const line = `<path d="${path}" fill="none" stroke="${palette.edge}" stroke-width="1.6"${dash} marker-end="url(#warren-arrow)"/>`;
  if (e.label === '') return `<g data-edge="${escapeXml(e.id)}">${line}</g>`;
  const text = fit(e.label, 150, 6.6);
  // The label sits on the curve, half way (the cubic Bézier at t = 0.5).
  const mx = (x1 + 3 * c1.x + 3 * c2.x + x2) / 8;
  const my = (y1 + 3 * c1.y + 3 * c2.y + y2) / 8;
  const w = text.length * 6.6 + 12;
  return [
    `<g data-edge="${escapeXml(e.id)}">${line}`,
    `<rect x="${mx - w / 2}" y="${my - 10}" width="${w}" height="20" rx="10" fill="${palette.label}" stroke="${palette.edge}" stroke-width="0.8"/>`,
    `<text x="${mx}" y="${my + 4}" text-anchor="middle" font-size="11" font-family="ui-monospace, Menlo, Consolas, monospace" fill="${palette.text}">${escapeXml(text)}${text === e.label ? '' : `<title>${escapeXml(e.label)}</title>`}</text>`,
    '</g>',
  ].join('');
}

function node(n: SceneNode, palette: Palette): string {
  const { stroke, fill } = palette.kinds[n.kind];
  const name = fit(n.name === '' ? '(unnamed)' : n.name, n.width - 24);
  return [
    `<g data-node="${escapeXml(n.id)}" data-kind="${n.kind}">`,
    `<title>${escapeXml(`${KIND_LABEL[n.kind].toLowerCase()} ${n.name}`)}</title>`,
    `<rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="12" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`,
    `<rect x="${n.x}" y="${n.y + 10}" width="4" height="${n.height - 20}" rx="2" fill="${stroke}"/>`,
    `<text x="${n.x + 14}" y="${n.y + 16}" font-size="9" font-weight="700" letter-spacing="0.8" ${FONT} fill="${stroke}">${KIND_LABEL[n.kind]}</text>`,
    `<text x="${n.x + 14}" y="${n.y + 34}" font-size="14" font-weight="600" ${FONT} fill="${palette.text}">${escapeXml(name)}</text>`,
    `<text x="${n.x + 14}" y="${n.y + 49}" font-size="11" ${FONT} fill="${palette.muted}">${escapeXml(fit(n.detail, n.width - 24, 6))}</text>`,
    '</g>',
  ].join('');
}

/** The document embedded in an SVG made with `embed`, or undefined when it holds none. */
export function documentFromSvg(svg: string): unknown {
  const match = new RegExp(`<${DOCUMENT_ELEMENT}>([\\s\\S]*?)</${DOCUMENT_ELEMENT}>`).exec(svg);
  if (!match?.[1]) return undefined;
  const text = match[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
