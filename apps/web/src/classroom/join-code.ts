/**
 * Join codes as a student types them and as the page's address carries them. The server's
 * codes are letters and digits (a dash allowed); a student may type them in lower case, with
 * spaces, or paste the whole join link.
 */

const CODE = /^[A-Za-z0-9-]{4,16}$/;

/** The code in a `/join/<code>` address, or null when the address is another page. */
export function parseJoinPath(pathname: string): string | null {
  const match = /^\/join\/([^/]+)\/?$/.exec(pathname);
  if (!match?.[1]) return null;
  let code: string;
  try {
    code = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  return CODE.test(code) ? code.toUpperCase() : null;
}

export function joinPath(code: string): string {
  return `/join/${encodeURIComponent(code)}`;
}

/** What a student typed (a code, or a join link), as a code; or why it is not one. */
export function readJoinCode(typed: string): { code: string } | { problem: string } {
  const text = typed.trim();
  if (text === '') return { problem: 'Type the code the teacher shows.' };
  const fromLink = /\/join\/([^/?#\s]+)/.exec(text)?.[1];
  const code = (fromLink ?? text).replace(/\s+/g, '').toUpperCase();
  if (!CODE.test(code))
    return {
      problem: 'A join code is 4 to 16 letters and digits, like the one the teacher shows.',
    };
  return { code };
}
