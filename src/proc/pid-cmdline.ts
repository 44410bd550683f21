/**
 * /proc/[pid]/cmdline: the arguments, each ended by a NUL. Empty for kernel
 * threads and zombies. A process may rewrite its own (`sshd: alice [priv]`),
 * often as one argument padded with NULs or spaces.
 */

/** The arguments; trailing empty ones (NUL padding) are dropped. */
export function parseCmdline(bytes: Buffer): string[] {
  const args = bytes.toString('utf8').split('\0');
  while (args.length > 0 && args[args.length - 1] === '') args.pop();
  return args;
}

/** The arguments as one line, as `ps -o args` shows them. */
export function joinCmdline(args: readonly string[]): string {
  return args.join(' ').trimEnd();
}
