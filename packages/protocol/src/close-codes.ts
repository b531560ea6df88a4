/**
 * Websocket close codes Warren's event streams use (4000–4999 are for applications; 1012 is
 * the standard "service restart"). A client tells from the code whether to reconnect.
 */
export const CLOSE_CODES = {
  /** No such session (or classroom): do not reconnect. */
  notFound: 4404,
  /** The client stayed too far behind; it reconnects and gets a fresh hello. */
  tooFarBehind: 4408,
} as const;
