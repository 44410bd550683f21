/**
 * fail2ban's multi-line failure ids (`<F-MLFID>`), as Filter._mergeFailure
 * keeps them: the matches of one id (a connection, a session: sshd's and
 * sendmail's prefix with host, program and pid) merge into one failure, so a
 * `<F-NOFAIL>` line can give its address to a later failure line that has
 * none, `<F-MLFFORGET>` drops the id, and `<F-MLFGAINED>` (a success) clears
 * what was pending.
 */

/** fail2ban's mlfidCache size (Filter.mlfidCache: maxCount=100). */
export const MLFID_CACHE_SIZE = 100;

/** One id's merged failure: the groups of its matches, later ones over earlier ones. */
export interface Session {
  groups: Record<string, string | undefined>;
  /** Every user its matches named (more than one: a failure, whatever `<F-NOFAIL>` says). */
  users?: Set<string>;
  /** A failure without an address was seen: the next match of the id that has one fails. */
  pending?: boolean;
}

/** Ids to their sessions, at most {@link MLFID_CACHE_SIZE}, the oldest first out (counted). */
export class MlfidCache {
  private readonly sessions = new Map<string, Session>();
  /** Sessions dropped to make room, before any `<F-MLFFORGET>` ended them. */
  evicted = 0;

  constructor(readonly size = MLFID_CACHE_SIZE) {}

  get count(): number {
    return this.sessions.size;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  set(id: string, session: Session): void {
    if (!this.sessions.has(id) && this.sessions.size >= this.size) {
      // A Map iterates in insertion order: its first key is the oldest (fail2ban's FIFO).
      this.sessions.delete(this.sessions.keys().next().value!);
      this.evicted++;
    }
    this.sessions.set(id, session);
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }
}

function addUser(session: Session, user: string | undefined): Set<string> | undefined {
  if (!user) return session.users;
  session.users ??= new Set();
  session.users.add(user);
  return session.users;
}

/**
 * Merges a failregex's `groups` (its `mlfid` group set) into the id's session
 * and returns the session, whose groups are the failure as fail2ban sees it
 * now: `nofail` set means no failure (yet). Call {@link markPending} when the
 * merged groups still hold no address.
 */
export function mergeFailure(cache: MlfidCache, id: string, groups: Record<string, string | undefined>): Session {
  const fail = { ...groups };
  const gained = Boolean(fail.mlfgained);
  if (gained) fail.nofail ||= fail.mlfgained;
  const forget = Boolean(fail.mlfforget);
  delete fail.mlfforget;
  let session = cache.get(id);
  let users: Set<string> | undefined;
  if (session) {
    const known = session.groups;
    users = addUser(session, fail.user);
    // 'nofail' and 'mlfgained' hold for the latest match only.
    delete known.nofail;
    delete known.mlfgained;
    if (gained) session.pending = false;
    for (const [k, v] of Object.entries(fail)) if (v !== undefined) known[k] = v;
    if (forget) cache.delete(id);
  } else {
    session = { groups: fail };
    users = addUser(session, fail.user);
    if (!forget) cache.set(id, session);
  }
  // A pending failure, or attempts for several users: a failure whatever this match says.
  if (session.pending || (users && users.size > 1)) {
    session.pending = false;
    delete session.groups.nofail;
    delete session.groups.mlfgained;
  }
  return session;
}

/** A failure of the session without an address yet: the id's next match with one fails (fail2ban's mlfpending). */
export function markPending(session: Session): void {
  session.pending = true;
}
