/**
 * Hand-written readers for the most frequent messages (sshd's failures,
 * invalid users, preauth closes, disconnects and logins; PAM's session
 * openings; sudo's commands), as rows' `read` (see {@link Rule}): each gives
 * exactly the groups of its row's re2 pattern (or null when the pattern cannot
 * match), or undefined for anything it does not handle, which the pattern then
 * decides. They read printable ASCII only, where `\s` is the space and `.` any
 * character; test/logs/recognisers/readers.test.ts holds each to its pattern.
 */
import type { Groups } from './types';

/** Whether every character of `text` (from `start` to `end`) is printable ASCII (space to `~`). */
function printable(text: string, start = 0, end = text.length): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c > 126) return false;
  }
  return true;
}

/** Whether `c` is a code unit of re2's `\s` (`[\t\n\f\r ]`). */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
}

/**
 * `m` less the trailing `\s` that a pattern ending in `\s*$` absorbs (the `\r`
 * of a log written with CRLF line ends), so that a reader of printable text can read it.
 */
function withoutTrailingSpace(m: string): string {
  let end = m.length;
  while (end > 0 && isSpace(m.charCodeAt(end - 1))) end--;
  return end === m.length ? m : m.slice(0, end);
}

/** End of the run of ASCII digits at `from`. */
export function digitsEnd(text: string, from: number): number {
  let k = from;
  while (k < text.length && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
  return k;
}

/** End of the word (the run of characters other than a space) at `from`; `from` when it is empty. */
function wordEnd(text: string, from: number): number {
  const space = text.indexOf(' ', from);
  return space < 0 ? text.length : space;
}

/** `HOST port N` at `from`: the host's end and the port's end, or undefined. */
function hostPort(text: string, from: number): { hostEnd: number; portEnd: number } | undefined {
  const hostEnd = wordEnd(text, from);
  if (hostEnd === from || !text.startsWith(' port ', hostEnd)) return undefined;
  const portEnd = digitsEnd(text, hostEnd + 6);
  return portEnd === hostEnd + 6 ? undefined : { hostEnd, portEnd };
}

/** The groups of `HOST[ port N]` read at `from` and ending at `end` (older sshd writes no port), or undefined. */
function hostMaybePort(text: string, from: number, end: number): Groups | undefined {
  const at = hostPort(text, from);
  if (at)
    return at.portEnd === end
      ? { host: text.slice(from, at.hostEnd), port: text.slice(at.hostEnd + 6, end) }
      : undefined;
  return end > from && wordEnd(text, from) >= end ? { host: text.slice(from, end), port: undefined } : undefined;
}

/** The row tests its shape only (no groups): one answer for every match. */
const NO_GROUPS: Groups = Object.freeze({});

/**
 * `^Failed \S+ for .` (the row reads the rest itself). Only the method and the
 * character after ` for ` need looking at: no groups come back, so the rest of
 * the message may hold anything.
 */
export function readFailed(m: string): Groups | undefined {
  if (!m.startsWith('Failed ')) return undefined;
  const methodEnd = wordEnd(m, 7);
  if (methodEnd === 7 || !m.startsWith(' for ', methodEnd) || !printable(m, 7, methodEnd)) return undefined;
  const next = m.charCodeAt(methodEnd + 5);
  return next >= 32 && next <= 126 ? NO_GROUPS : undefined;
}

/**
 * `Invalid user USER from HOST[ port N]`, the user a single word (possibly
 * empty); null when the message does not start `[iI]nvalid user ` or
 * `[iI]llegal user ` (`input_userauth_request: invalid user ...` holds the prefilter).
 */
export function readInvalidUser(message: string): Groups | null | undefined {
  const c = message.charCodeAt(0);
  if ((c !== 73 && c !== 105) || !(message.startsWith('nvalid user ', 1) || message.startsWith('llegal user ', 1)))
    return null;
  const m = withoutTrailingSpace(message);
  if (c !== 73 || m.charCodeAt(1) !== 110 || !printable(m)) return undefined;
  const userEnd = wordEnd(m, 13);
  if (!m.startsWith(' from ', userEnd)) return undefined;
  const at = hostMaybePort(m, userEnd + 6, m.length);
  return at && { user: m.slice(13, userEnd), host: at.host, port: at.port };
}

/** Null unless the message starts as sshd's close rows do (`Connection closed|reset`, `Disconnected`). */
export function readClose(m: string): null | undefined {
  return m.startsWith('Connection ') || m.startsWith('Disconnected ') ? undefined : null;
}

/** `Connection closed by HOST[ port N] [preauth]`; null as {@link readClose}. */
export function readPreauthClose(message: string): Groups | null | undefined {
  if (!message.startsWith('Connection closed by ')) return readClose(message);
  const m = withoutTrailingSpace(message);
  if (!m.endsWith(' [preauth]') || !printable(m)) return undefined;
  const at = hostMaybePort(m, 21, m.length - 10);
  return at && { user: undefined, host: at.host, port: at.port };
}

/**
 * `Received disconnect from HOST[ port N]:CODE:` (spaces may follow the first
 * colon), the host without colons: the pattern's host is lazy, so it ends at
 * the first colon. What follows the code is not the pattern's concern.
 */
export function readDisconnect(m: string): Groups | undefined {
  if (!m.startsWith('Received disconnect from ')) return undefined;
  const colon = m.indexOf(':', 25);
  const at = colon < 0 ? undefined : hostMaybePort(m, 25, colon);
  if (!at) return undefined;
  let code = colon + 1;
  while (m.charCodeAt(code) === 32) code++;
  const codeEnd = digitsEnd(m, code);
  return codeEnd > code && m.charCodeAt(codeEnd) === 58 && printable(m, 25, colon) ? at : undefined;
}

/** Null unless the message starts `[aA]uthentication ` (PAM's `... authentication failure;` lines hold the prefilter). */
export function readAuthenticationError(m: string): null | undefined {
  const c = m.charCodeAt(0);
  return (c === 65 || c === 97) && m.startsWith('uthentication ', 1) ? undefined : null;
}

const PAM_SSHD = 'pam_unix(sshd:auth):';
const FAILURE = 'authentication failure;';
/** The `name=value` words PAM may write before `ruser=`, at most four of them. */
const PAM_KEYS = ['logname=', 'uid=', 'euid=', 'tty='];

/**
 * `[pam_unix(sshd:auth): ]authentication failure; [KEY=V ...] ruser=R rhost=H[ user=U][ [preauth]]`,
 * words apart by spaces; null when the message starts neither way.
 */
export function readPamFailure(message: string): Groups | null | undefined {
  const m = withoutTrailingSpace(message);
  let at = 0;
  if (m.startsWith(PAM_SSHD)) {
    at = PAM_SSHD.length;
    if (m.charCodeAt(at) !== 32) return undefined;
    while (m.charCodeAt(at) === 32) at++;
  }
  if (!m.startsWith(FAILURE, at)) return at === 0 ? null : undefined;
  if (!printable(m)) return undefined;
  const words = m.slice(at + FAILURE.length).split(' ');
  if (words[0] !== '') return undefined; // a space must follow the `;`
  let i = 1;
  const next = () => {
    while (words[i] === '') i++;
    return words[i++];
  };
  let word = next();
  for (let keys = 0; word !== undefined && PAM_KEYS.some((key) => word!.startsWith(key)); keys++) {
    if (keys === 4) return undefined;
    word = next();
  }
  if (!word?.startsWith('ruser=')) return undefined;
  const ruser = word.slice(6);
  word = next();
  if (!word?.startsWith('rhost=') || word.length === 6) return undefined;
  const host = word.slice(6);
  word = next();
  let user: string | undefined;
  if (word?.startsWith('user=')) {
    user = word.slice(5);
    word = next();
  }
  if (word === '[preauth]') word = next();
  return word === undefined ? { ruser, host, user } : undefined;
}

const USER_UNKNOWN = ':auth): check pass; user unknown';

/** `pam_unix(SERVICE:auth): check pass; user unknown`, the service up to the first `:` or `)` (no groups taken). */
export function readUserUnknown(m: string): Groups | null {
  if (!m.startsWith('pam_unix(')) return null;
  let end = 9;
  while (end < m.length && m.charCodeAt(end) !== 58 && m.charCodeAt(end) !== 41) end++;
  return end > 9 && m.startsWith(USER_UNKNOWN, end) ? NO_GROUPS : null;
}

/** `Accepted METHOD for USER from HOST port N` then the end, a space or a colon. */
export function readAccepted(m: string): Groups | undefined {
  if (!m.startsWith('Accepted ') || !printable(m)) return undefined;
  const methodEnd = wordEnd(m, 9);
  if (methodEnd === 9 || !m.startsWith(' for ', methodEnd)) return undefined;
  const userEnd = wordEnd(m, methodEnd + 5);
  if (userEnd === methodEnd + 5 || !m.startsWith(' from ', userEnd)) return undefined;
  const at = hostPort(m, userEnd + 6);
  if (!at) return undefined;
  const next = m.charCodeAt(at.portEnd);
  if (at.portEnd !== m.length && next !== 32 && next !== 58) return undefined;
  return {
    method: m.slice(9, methodEnd),
    user: m.slice(methodEnd + 5, userEnd),
    host: m.slice(userEnd + 6, at.hostEnd),
    port: m.slice(at.hostEnd + 6, at.portEnd),
  };
}

const OPENED = ':session): session opened for user ';

/** `pam_unix(SERVICE:session): session opened for user USER`, the user ending at a space or `(`. */
export function readSessionOpened(m: string): { service: string; user: string } | undefined {
  if (!m.startsWith('pam_unix(') || !printable(m)) return undefined;
  const colon = m.indexOf(':', 9);
  if (colon <= 9 || m.lastIndexOf(')', colon) >= 9 || !m.startsWith(OPENED, colon)) return undefined;
  const from = colon + OPENED.length;
  let end = from;
  while (end < m.length && m.charCodeAt(end) !== 32 && m.charCodeAt(end) !== 40) end++;
  return end === from ? undefined : { service: m.slice(9, colon), user: m.slice(from, end) };
}

/** sudo's `USER : ` (after leading spaces): where the user word starts and ends, or undefined. */
function sudoUser(m: string): { start: number; end: number } | undefined {
  let start = 0;
  while (m.charCodeAt(start) === 32) start++;
  const end = wordEnd(m, start);
  return end > start && m.startsWith(' : ', end) && printable(m) ? { start, end } : undefined;
}

/**
 * sudo's refusal row cannot match when the text after `USER : ` runs into an
 * `=` (`TTY=`, `PWD=`) before any `;`: its reason ends at ` ; `.
 */
export function readSudoRefused(m: string): null | undefined {
  const user = sudoUser(m);
  if (!user) return undefined;
  for (let i = user.end + 3; i < m.length; i++) {
    const c = m.charCodeAt(i);
    if (c === 59) return undefined;
    if (c === 61) return null;
  }
  return undefined;
}

/** `USER : [TTY=TTY ; ]PWD=PWD ; USER=RUNAS ; COMMAND=COMMAND`, without a `;` in the directory or the command. */
export function readSudoCommand(m: string): Groups | undefined {
  const user = sudoUser(m);
  if (!user) return undefined;
  let at = user.end + 3;
  let tty: string | undefined;
  if (m.startsWith('TTY=', at)) {
    const ttyEnd = wordEnd(m, at + 4);
    if (ttyEnd === at + 4 || !m.startsWith(' ; ', ttyEnd)) return undefined;
    tty = m.slice(at + 4, ttyEnd);
    at = ttyEnd + 3;
  }
  if (!m.startsWith('PWD=', at)) return undefined;
  const pwdEnd = m.indexOf(' ; USER=', at + 4);
  if (pwdEnd < 0 || m.lastIndexOf(';', pwdEnd) > at) return undefined;
  const runasEnd = wordEnd(m, pwdEnd + 8);
  if (runasEnd === pwdEnd + 8 || !m.startsWith(' ; COMMAND=', runasEnd)) return undefined;
  const command = m.slice(runasEnd + 11);
  if (command.includes(';')) return undefined;
  return {
    user: m.slice(user.start, user.end),
    tty,
    pwd: m.slice(at + 4, pwdEnd),
    runas: m.slice(pwdEnd + 8, runasEnd),
    command,
  };
}
