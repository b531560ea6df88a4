import { documentFromSvg, isPng, PNG_DOCUMENT_KEYWORD, readPngText } from '@warren/diagram-image';
import { openDocument, type OpenedDocument } from '@warren/topology/documents';

/**
 * A file dropped or picked to open a diagram: Warren's JSON document, or a PNG or SVG exported
 * by Warren, which carries the document inside. Anything else is refused with the reason.
 */
export function documentFromFile(name: string, bytes: Uint8Array): OpenedDocument {
  const refused = (why: string): OpenedDocument => ({ ok: false, reason: `${name}: ${why}` });
  let found: unknown;
  if (isPng(bytes)) {
    let text: string | undefined;
    try {
      text = readPngText(bytes)[PNG_DOCUMENT_KEYWORD];
    } catch (error) {
      return refused(error instanceof Error ? error.message : String(error));
    }
    if (text === undefined)
      return refused('this PNG carries no Warren diagram (only images exported by Warren do).');
    try {
      found = JSON.parse(text);
    } catch {
      return refused('the diagram inside this PNG is not valid JSON.');
    }
  } else {
    const text = new TextDecoder()
      .decode(bytes)
      .replace(/^\uFEFF/, '')
      .trim();
    if (text.startsWith('<')) {
      found = documentFromSvg(text);
      if (found === undefined)
        return refused('this SVG carries no Warren diagram (only images exported by Warren do).');
    } else {
      try {
        found = JSON.parse(text);
      } catch {
        return refused('this is neither JSON nor a PNG or SVG image exported by Warren.');
      }
    }
  }
  const opened = openDocument(found);
  return opened.ok ? opened : refused(opened.reason);
}
