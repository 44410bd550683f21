/**
 * Stack traces in a multi-line record: Python tracebacks (with chained
 * exceptions), Java stack traces (with `Caused by:`) and Node error stacks.
 * Parsed line by line with re2 patterns; frames are marked in-app or not, as
 * error trackers do, so grouping follows the application's own code.
 */
import RE2 from 're2';
import { LruMap } from '../../core/lru';

/** One frame of a stack trace. */
export interface StackFrame {
  file: string;
  line: number | undefined;
  function: string;
  /** Application code (not the standard library, site-packages, node_modules, java.*). */
  inApp: boolean;
}

/** One exception of a (possibly chained) trace. */
export interface StackException {
  type: string;
  message: string;
  /** Frames in call order: outermost caller first, the frame that raised last. */
  frames: StackFrame[];
}

/** A parsed stack trace. */
export interface StackTrace {
  language: 'python' | 'java' | 'node';
  /** Exceptions from the root cause to the one reported last (the outermost). */
  exceptions: StackException[];
}

const PY_TRACEBACK = 'Traceback (most recent call last):';
const PY_FRAME = new RE2('^\\s+File "(?<file>[^"]+)", line (?<line>\\d{1,9})(?:, in (?<function>\\S{1,256}))?');
const PY_EXCEPTION = new RE2('^(?<type>[A-Za-z_][\\w.]{0,255})(?:: (?<message>.*))?$');
const PY_CHAINED = [
  'During handling of the above exception, another exception occurred:',
  'The above exception was the direct cause of the following exception:',
];

const JAVA_HEAD = new RE2(
  '^(?:Exception in thread "[^"]{0,256}" )?(?:Caused by: |Suppressed: )?(?<type>(?:[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]{0,255})(?:: (?<message>.*))?$',
);
const JAVA_FRAME = new RE2('^\\s+at (?<function>[\\w$.<>/]{1,512})\\((?<file>[^:)]{0,512})(?::(?<line>\\d{1,9}))?\\)');

const NODE_HEAD = new RE2(
  '^(?:Uncaught )?(?<type>[A-Z][\\w$]{0,127}(?:Error|Exception)|Error)(?: \\[(?<code>[A-Z_\\d]{1,64})\\])?: (?<message>.*)$',
);
const NODE_FRAME = new RE2(
  '^\\s+at (?:(?:async )?(?<function>[^()]{1,512}) \\((?<file>[^()]+?):(?<line>\\d{1,9}):\\d{1,9}\\)|(?<file2>[^()\\s]+?):(?<line2>\\d{1,9}):\\d{1,9})$',
);

/** Java packages of the JVM and its languages: never the application's code. */
const JAVA_PLATFORM = ['java.', 'javax.', 'jdk.', 'sun.', 'com.sun.', 'kotlin.', 'scala.'];

/** A Java frame's method outside the platform (a `java.base/` module prefix is skipped). */
function javaInApp(method: string): boolean {
  const slash = method.indexOf('/');
  const name = slash >= 0 ? method.slice(slash + 1) : method;
  return !JAVA_PLATFORM.some((prefix) => name.startsWith(prefix));
}

function pythonInApp(file: string): boolean {
  return !(
    file.includes('site-packages') ||
    file.includes('dist-packages') ||
    file.includes('/lib/python') ||
    file.startsWith('<frozen')
  );
}

function nodeInApp(file: string): boolean {
  return !(file.includes('node_modules') || file.startsWith('node:') || file.startsWith('internal/'));
}

/** Longest frame line remembered by `pythonFrame`. */
const FRAME_MEMO_LINE = 512;

/**
 * Python frame lines already parsed (null: not a frame): each occurrence of an
 * error repeats its frames, and re2 with captures costs microseconds a line.
 */
const pythonFrames = new LruMap<string, StackFrame | null>(4096);

/** The frame a traceback line holds (a fresh object: callers own their frames). */
function pythonFrame(line: string): StackFrame | undefined {
  let frame = pythonFrames.get(line);
  if (frame === undefined) {
    const groups = PY_FRAME.exec(line)?.groups;
    const file = groups?.file;
    frame = file
      ? { file, line: Number(groups.line), function: groups.function ?? '<module>', inApp: pythonInApp(file) }
      : null;
    if (line.length <= FRAME_MEMO_LINE) pythonFrames.set(line, frame);
  }
  return frame ? { ...frame } : undefined;
}

function parsePython(lines: readonly string[]): StackTrace | undefined {
  const exceptions: StackException[] = [];
  let frames: StackFrame[] | undefined;
  for (const line of lines) {
    if (line.startsWith(PY_TRACEBACK)) {
      frames = [];
      continue;
    }
    if (frames === undefined) continue;
    const frame = line.includes('File "') ? pythonFrame(line) : undefined;
    if (frame) {
      frames.push(frame);
      continue;
    }
    // Source lines under a frame are indented; the exception line is not.
    if (line.startsWith(' ') || line.startsWith('\t') || line.trim() === '') continue;
    const head = PY_EXCEPTION.exec(line)?.groups;
    if (head) {
      exceptions.push({ type: head.type!, message: head.message ?? '', frames });
      frames = undefined;
    }
  }
  return exceptions.length > 0 ? { language: 'python', exceptions } : undefined;
}

function parseJava(lines: readonly string[]): StackTrace | undefined {
  const exceptions: StackException[] = [];
  for (const line of lines) {
    const frame = line.includes('at ') ? JAVA_FRAME.exec(line)?.groups : undefined;
    if (frame) {
      const current = exceptions[exceptions.length - 1];
      if (!current) continue;
      const fn = frame.function!;
      current.frames.push({
        file: frame.file ?? '',
        line: frame.line === undefined ? undefined : Number(frame.line),
        function: fn,
        inApp: javaInApp(fn),
      });
      continue;
    }
    const head = line.includes('.') ? JAVA_HEAD.exec(line)?.groups : undefined;
    if (head && (exceptions.length === 0 || line.startsWith('Caused by: '))) {
      exceptions.push({ type: head.type!, message: head.message ?? '', frames: [] });
    }
  }
  if (exceptions.length === 0 || exceptions.every((e) => e.frames.length === 0)) return undefined;
  // Java prints the outermost exception first and its causes after; frames innermost first.
  for (const exception of exceptions) exception.frames.reverse();
  return { language: 'java', exceptions: exceptions.reverse() };
}

function parseNode(lines: readonly string[]): StackTrace | undefined {
  const first = lines.findIndex((line) => NODE_HEAD.test(line));
  if (first < 0) return undefined;
  const head = NODE_HEAD.exec(lines[first]!)!.groups!;
  const frames: StackFrame[] = [];
  for (const line of lines.slice(first + 1)) {
    const frame = NODE_FRAME.exec(line)?.groups;
    if (!frame) continue;
    const file = frame.file ?? frame.file2 ?? '';
    frames.push({
      file,
      line: Number(frame.line ?? frame.line2),
      function: frame.function ?? '<anonymous>',
      inApp: nodeInApp(file),
    });
  }
  if (frames.length === 0) return undefined;
  return {
    language: 'node',
    exceptions: [{ type: head.type!, message: head.message ?? '', frames: frames.reverse() }],
  };
}

/**
 * The stack trace in a record's raw text, or undefined when it holds none.
 * Cheap substring tests decide which parser runs.
 */
export function parseStackTrace(raw: string): StackTrace | undefined {
  if (!raw.includes('\n')) return undefined;
  if (raw.includes(PY_TRACEBACK)) return parsePython(linesOf(raw));
  if (raw.includes('\tat ') || raw.includes('\n\tat ') || /* spaces */ raw.includes('    at ')) {
    const lines = linesOf(raw);
    if (raw.includes('.java:') || raw.includes('(Unknown Source)') || raw.includes('(Native Method)'))
      return parseJava(lines);
    return parseNode(lines) ?? parseJava(lines);
  }
  // Most multi-line records (continued messages) hold no trace: they are not split.
  return undefined;
}

function linesOf(raw: string): string[] {
  return raw.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** Whether a Python traceback was chained ("During handling of ..." / "The above exception was the direct cause"). */
export function chainWording(raw: string): 'during-handling' | 'direct-cause' | undefined {
  if (raw.includes(PY_CHAINED[0]!)) return 'during-handling';
  if (raw.includes(PY_CHAINED[1]!)) return 'direct-cause';
  return undefined;
}

/** The exception reported last (the outermost), and the innermost in-app frame that raised it. */
export function reportedException(trace: StackTrace): { exception: StackException; frame: StackFrame | undefined } {
  const exception = trace.exceptions[trace.exceptions.length - 1]!;
  // The root cause's frames locate the fault best; fall back to the reported exception's.
  for (const candidate of [trace.exceptions[0]!, exception]) {
    const frames = candidate.frames;
    for (let i = frames.length - 1; i >= 0; i--) if (frames[i]!.inApp) return { exception, frame: frames[i] };
  }
  return { exception, frame: exception.frames[exception.frames.length - 1] };
}
