/** Puts text on the clipboard; false when the browser refused every way of doing it. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard access may be refused (plain http, permissions); fall back to a selection.
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    // execCommand is deprecated but is the only fallback where the Clipboard API is refused.
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
