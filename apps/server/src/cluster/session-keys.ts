/**
 * Routing keys of one session on the servers' topic bus. Classroom keys start with a classroom
 * code (letters and digits only), so `session.` never meets one of theirs.
 */
export const sessionKeys = (sessionId: string) => ({
  /** The session's events, in batches (`{ events }`), while another server has viewers. */
  events: `session.${sessionId}.events`,
  /** The session was deleted (or its server stopped): viewers elsewhere are told. */
  ended: `session.${sessionId}.ended`,
  /**
   * The owner's broker connection went down and came back: events went missing on the way, so
   * viewers elsewhere reconnect for a fresh hello.
   */
  resync: `session.${sessionId}.resync`,
});

/** Header naming the server that forwarded a request (a peer never forwards it again). */
export const FORWARDED_BY = 'x-warren-forwarded-by';
/** Header with the forwarding server's peer token. */
export const PEER_TOKEN = 'x-warren-peer-token';
/** Header naming the server that answered a request for a session. */
export const SERVED_BY = 'x-warren-served-by';
