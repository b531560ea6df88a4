import type { ReactNode } from 'react';

/** Small glyphs for the kinds of node, drawn in the node’s accent colour. */

/** A glyph's frame: a 20-unit square drawn at 16 px unless told, hidden from screen readers. */
export function Glyph({
  children,
  viewBox = '0 0 20 20',
  size = 16,
}: {
  children: ReactNode;
  viewBox?: string;
  size?: number;
}) {
  return (
    <svg viewBox={viewBox} width={size} height={size} aria-hidden="true">
      {children}
    </svg>
  );
}

/** A line of a glyph in the current text colour, with round ends and corners. */
export function Stroke({ d, width = 1.8 }: { d: string; width?: number }) {
  return (
    <path
      d={d}
      fill="none"
      stroke="currentColor"
      strokeWidth={width}
      strokeLinecap="round"
      strokeLinejoin="round"
    />
  );
}

export function ProducerIcon() {
  return (
    <Glyph>
      <Stroke d="M3 10h10M9 5l5 5-5 5" width={2} />
      <circle cx="3.5" cy="10" r="1.8" fill="currentColor" />
    </Glyph>
  );
}

export function ExchangeIcon() {
  return (
    <Glyph>
      <circle cx="4" cy="10" r="2.2" fill="currentColor" />
      <circle cx="16" cy="4.5" r="2.2" fill="currentColor" />
      <circle cx="16" cy="15.5" r="2.2" fill="currentColor" />
      <Stroke d="M6 10c4 0 4-5.5 8-5.5M6 10c4 0 4 5.5 8 5.5" />
    </Glyph>
  );
}

export function QueueIcon() {
  return (
    <Glyph>
      <rect
        x="2"
        y="5"
        width="16"
        height="10"
        rx="2.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
      />
      <Stroke d="M6.5 8v4M10 8v4M13.5 8v4" />
    </Glyph>
  );
}

export function ConsumerIcon() {
  return (
    <Glyph>
      <Stroke d="M3 11.5v3A1.5 1.5 0 0 0 4.5 16h11a1.5 1.5 0 0 0 1.5-1.5v-3" />
      <Stroke d="M10 3v8M6.5 7.8 10 11.3l3.5-3.5" />
    </Glyph>
  );
}
