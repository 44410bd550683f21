/**
 * User names from /etc/passwd (`name:x:uid:gid:...`), for showing who owns a
 * process or a socket. Read from a path so tests point it at a fixture.
 */
import { readText } from './read';
import { decimal } from './text';

/** uid -> user name; the first entry wins for a shared uid, as getpwuid does. Empty when unreadable. */
export function readUsers(path = '/etc/passwd'): Map<number, string> {
  return parsePasswd(readText(path) ?? '');
}

/** Parses passwd text; malformed and comment lines are ignored. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const parts = line.split(':');
    const name = parts[0];
    const uid = decimal(parts[2]);
    if (parts.length < 4 || !name || uid === undefined || users.has(uid)) continue;
    users.set(uid, name);
  }
  return users;
}
