/**
 * Signatures: what makes two errors the same problem. A stack trace is
 * grouped by its exception types and in-app frames (module and function, not
 * line numbers, which move with every deploy), as error trackers group; any
 * other error by the template the miner gives its message.
 */
import { templateSignature } from './template-miner';
import { maskTokens } from './mask';
import type { StackFrame, StackTrace } from './stack-trace';

/** A frame's identity: the last two path segments (deploy roots differ) and the function; a Java method alone. */
export function frameKey(frame: StackFrame): string {
  // A Java frame's qualified method already names its module.
  if (frame.function.includes('.') && !frame.file.includes('/')) return frame.function;
  const file = frame.file.replaceAll('\\', '/');
  const last = file.lastIndexOf('/');
  const start = last > 0 ? file.lastIndexOf('/', last - 1) + 1 : 0;
  return `${file.slice(start)}:${frame.function}`;
}

/** The frames that identify an exception: its in-app frames, or all of them when none is in-app. */
function groupingFrames(frames: readonly StackFrame[]): readonly StackFrame[] {
  const inApp = frames.filter((frame) => frame.inApp);
  return inApp.length > 0 ? inApp : frames;
}

/** The grouping text of a stack trace: exception types and their frames, root cause first. */
export function stackGroupingText(trace: StackTrace): string {
  return trace.exceptions
    .map((exception) => [exception.type, ...groupingFrames(exception.frames).map(frameKey)].join('\n'))
    .join('\n--\n');
}

/** The signature of a stack trace (stable across runs, deploy paths and line shifts). */
export function stackSignature(trace: StackTrace): string {
  return templateSignature(`stack\n${trace.language}\n${stackGroupingText(trace)}`);
}

/** A readable template for a stack trace: the reported type, its masked message, and where. */
export function stackTemplate(trace: StackTrace): string {
  const exception = trace.exceptions[trace.exceptions.length - 1]!;
  const message = maskTokens(exception.message).join(' ');
  const frames = groupingFrames(trace.exceptions[0]!.frames);
  const top = frames[frames.length - 1];
  return `${exception.type}${message ? `: ${message}` : ''}${top ? ` at ${frameKey(top)}` : ''}`;
}
