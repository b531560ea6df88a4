/**
 * Links to saved diagrams. The view link `/d/<id>` is the share link; the edit link adds the edit
 * token in the fragment (`#edit=<token>`), which browsers never send to a server, so the token
 * stays out of server logs; it goes to the server only in the Authorization header.
 */

export interface DiagramLocation {
  id: string;
  /** From an edit link's fragment. */
  editToken?: string;
}

export function parseDiagramLocation(pathname: string, hash: string): DiagramLocation | null {
  const match = /^\/d\/([^/]+)\/?$/.exec(pathname);
  if (!match?.[1]) return null;
  const id = decodeURIComponent(match[1]);
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('edit');
  return token ? { id, editToken: token } : { id };
}

export const viewPath = (id: string) => `/d/${encodeURIComponent(id)}`;

export function viewLink(id: string, origin = window.location.origin): string {
  return origin + viewPath(id);
}

export function editLink(id: string, token: string, origin = window.location.origin): string {
  return `${viewLink(id, origin)}#edit=${encodeURIComponent(token)}`;
}
