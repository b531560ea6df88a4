import { addPngText, PNG_DOCUMENT_KEYWORD, renderSvg } from '@warren/diagram-image';
import type { Topology } from '@warren/topology';
import type { Rect } from '@xyflow/react';

/**
 * The diagram as files: a PNG of the canvas as it looks and an SVG drawn from the document, both
 * for slides and both carrying the document (a PNG iTXt chunk, an SVG <metadata> element), so
 * dropping the image back on Warren opens the diagram; the Warren document as JSON; (definitions.json is
 * the export dialog's first tab).
 */

export function fileBase(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return slug === '' ? 'warren-diagram' : slug;
}

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const PADDING = 32;
const BACKGROUND = '#f4f6fa';

/** Moving message dots, minimap and controls are not part of the picture. */
function inPicture(node: HTMLElement): boolean {
  const classes = node.classList as DOMTokenList | undefined;
  return !classes?.contains('message-layer') && !classes?.contains('message-markers');
}

/**
 * The canvas's nodes and edges as a PNG at twice the screen's size. `bounds` are the nodes'
 * bounds in flow coordinates (React Flow's getNodesBounds).
 */
export async function canvasPng(
  topology: Topology,
  bounds: Rect,
  options: { transparent: boolean },
): Promise<Blob> {
  const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
  if (!viewport) throw new Error('The canvas is not on the page.');
  const width = Math.ceil(bounds.width + 2 * PADDING);
  const height = Math.ceil(bounds.height + 2 * PADDING);
  // Edge arrowheads are defined beside the canvas; the picture needs its own copy of them.
  const markers = document.querySelector('.marker-defs')?.cloneNode(true);
  if (markers) viewport.prepend(markers);
  // html-to-image is pinned at 1.11.11: later versions export React Flow canvases without edges.
  // Loaded on the first export only.
  const { toPng } = await import('html-to-image');
  let dataUrl: string;
  try {
    dataUrl = await toPng(viewport, {
      width,
      height,
      pixelRatio: 2,
      filter: inPicture,
      ...(options.transparent ? {} : { backgroundColor: BACKGROUND }),
      style: {
        width: `${width}px`,
        height: `${height}px`,
        transform: `translate(${PADDING - bounds.x}px, ${PADDING - bounds.y}px) scale(1)`,
      },
    });
  } finally {
    if (markers) (markers as ChildNode).remove();
  }
  const bytes = Uint8Array.from(atob(dataUrl.slice(dataUrl.indexOf(',') + 1)), (c) =>
    c.charCodeAt(0),
  );
  return new Blob([addPngText(bytes, PNG_DOCUMENT_KEYWORD, JSON.stringify(topology))], {
    type: 'image/png',
  });
}

/**
 * The diagram as a plain SVG drawn from the document (the same drawing as the server's images):
 * text and shapes only, so slide tools that ignore HTML inside SVG still show all of it.
 */
export function diagramSvg(topology: Topology, name: string, options: { transparent: boolean }) {
  return new Blob([renderSvg(topology, { title: name, transparent: options.transparent })], {
    type: 'image/svg+xml',
  });
}

export function documentJson(topology: Topology): Blob {
  return new Blob([`${JSON.stringify(topology, null, 2)}\n`], { type: 'application/json' });
}
