/**
 * What systemd says about the services it manages, as src/core/service.c and
 * unit.c write it (`log_unit_*` puts the unit's name first):
 *
 * - `nginx.service: Main process exited, code=killed, status=9/KILL`
 *   (`code=exited` with a non-zero status, or `killed`, or `dumped`, is a failure);
 * - `nginx.service: Failed with result 'signal'.` (`exit-code`, `oom-kill`, `timeout`, ...);
 * - `nginx.service: A process of this unit has been killed by the OOM killer.`;
 * - `nginx.service: Scheduled restart job, restart counter is at 3.`;
 * - `nginx.service: Deactivated successfully.`;
 * - job results `Started|Stopped|Failed to start <unit> - <description>.`
 *   (systemd 250 and later) or `... <description>.` (earlier: no unit name;
 *   such a line may be about any unit, and is kept with its description);
 * - systemd 219 (CentOS 7): `Unit nginx.service entered failed state.`,
 *   `nginx.service failed.`, `nginx.service: main process exited, ...`.
 *
 * A hand-written reader: these are systemd's own fixed phrases.
 */
import type { Recognised } from './types';

/** What a unit line says, and the unit it is about. */
export interface UnitChange {
  recognised: Recognised;
  fields: {
    /** The unit systemd speaks of (`nginx.service`), when the line names it. */
    managedUnit?: string;
    /** The unit's description, from a job result line. */
    description?: string;
    /** systemd's result word (`signal`, `exit-code`, `oom-kill`, ...). */
    result?: string;
    /** `Main process exited`: how (`exited`, `killed`, `dumped`) and the status (`1/FAILURE`, `9/KILL`). */
    exitCode?: string;
    exitStatus?: string;
  };
}

const FAILED: Recognised = { action: 'unit.failed', outcome: 'failure', hostile: false };
const STARTED: Recognised = { action: 'unit.started', outcome: 'success', hostile: false };
const STOPPED: Recognised = { action: 'unit.stopped', outcome: 'success', hostile: false };
const RESTART: Recognised = { action: 'unit.restart', outcome: 'unknown', hostile: false };

/** Longest unit name read (systemd's limit is 255 characters). */
const MAX_UNIT = 256;

/** Whether `text[from, to)` is made of systemd's unit-name characters. */
function unitCharacters(text: string, from: number, to: number): boolean {
  if (to <= from || to - from > MAX_UNIT) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 48 && c <= 58) || // 0-9 and ':'
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 95 || // _
      c === 46 || // .
      c === 45 || // -
      c === 64 || // @
      c === 92; // \ (escapes such as \x2d)
    if (!ok) return false;
  }
  return true;
}

/** Whether `text[from, to)` is a service unit's name (`nginx.service`, `postgresql@15-main.service`). */
function isServiceUnit(text: string, from: number, to: number): boolean {
  return to - from > 8 && text.startsWith('.service', to - 8) && unitCharacters(text, from, to - 8);
}

/** Unit types other than services: a job line about one of these says nothing about a service. */
const OTHER_UNIT_TYPES = ['.scope', '.socket', '.target', '.timer', '.mount', '.slice', '.path', '.device', '.swap'];

function isOtherUnit(text: string, from: number, to: number): boolean {
  const type = OTHER_UNIT_TYPES.find((suffix) => text.startsWith(suffix, to - suffix.length));
  return type !== undefined && unitCharacters(text, from, to - type.length);
}

const withoutPeriod = (text: string) => (text.endsWith('.') ? text.slice(0, -1) : text);

/** `Main process exited, code=C, status=S` after the unit: a failure unless it exited with status 0. */
function mainExited(unit: string, text: string): UnitChange | undefined {
  const codeAt = text.indexOf('code=');
  const statusAt = text.indexOf(', status=', codeAt);
  if (codeAt < 0 || statusAt < 0) return undefined;
  const exitCode = text.slice(codeAt + 5, statusAt);
  const end = text.indexOf(' ', statusAt + 9);
  const exitStatus = text.slice(statusAt + 9, end < 0 ? undefined : end);
  const clean = exitCode === 'exited' && exitStatus.startsWith('0/');
  return { recognised: clean ? STOPPED : FAILED, fields: { managedUnit: unit, exitCode, exitStatus } };
}

/** The text systemd writes after `<unit>: `. */
function afterUnit(unit: string, text: string): UnitChange | undefined {
  if (text.startsWith('Main process exited, ') || text.startsWith('main process exited, '))
    return mainExited(unit, text);
  if (text.startsWith("Failed with result '")) {
    const end = text.indexOf("'", 20);
    return end < 0 ? undefined : { recognised: FAILED, fields: { managedUnit: unit, result: text.slice(20, end) } };
  }
  if (text.startsWith('A process of this unit has been killed by the OOM killer'))
    return { recognised: FAILED, fields: { managedUnit: unit, result: 'oom-kill' } };
  if (text.startsWith('Unit entered failed state')) return { recognised: FAILED, fields: { managedUnit: unit } };
  if (text.startsWith('Scheduled restart job')) return { recognised: RESTART, fields: { managedUnit: unit } };
  if (text.startsWith('Deactivated successfully')) return { recognised: STOPPED, fields: { managedUnit: unit } };
  return undefined;
}

/** Job results: `Started|Stopped|Failed to start <unit> - <description>.` or `... <description>.`. */
const JOB_RESULTS: readonly (readonly [string, Recognised])[] = [
  ['Started ', STARTED],
  ['Stopped ', STOPPED],
  ['Failed to start ', FAILED],
];

function jobResult(message: string): UnitChange | undefined {
  for (const [prefix, recognised] of JOB_RESULTS) {
    if (!message.startsWith(prefix)) continue;
    const subject = withoutPeriod(message.slice(prefix.length));
    const dash = subject.indexOf(' - ');
    const head = dash > 0 ? dash : subject.length;
    if (isServiceUnit(subject, 0, head)) {
      const managedUnit = subject.slice(0, head);
      return { recognised, fields: dash > 0 ? { managedUnit, description: subject.slice(dash + 3) } : { managedUnit } };
    }
    // `Started session-4.scope - Session 4 of User alice.`: a login's scope, not a service.
    if (isOtherUnit(subject, 0, head)) return undefined;
    return { recognised, fields: { description: subject } };
  }
  return undefined;
}

/** What a systemd message says about a service unit, or undefined when it is about none. */
export function recogniseUnit(message: string): UnitChange | undefined {
  const colon = message.indexOf(': ');
  if (colon > 0 && colon <= MAX_UNIT && isServiceUnit(message, 0, colon))
    return afterUnit(message.slice(0, colon), message.slice(colon + 2));
  // systemd 219: `Unit nginx.service entered failed state.` and `nginx.service failed.`
  if (message.startsWith('Unit ') && message.endsWith(' entered failed state.')) {
    const end = message.length - 22;
    if (isServiceUnit(message, 5, end)) return { recognised: FAILED, fields: { managedUnit: message.slice(5, end) } };
  }
  if (message.endsWith(' failed.') && isServiceUnit(message, 0, message.length - 8))
    return { recognised: FAILED, fields: { managedUnit: message.slice(0, -8) } };
  return jobResult(message);
}
