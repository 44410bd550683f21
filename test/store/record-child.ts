/** `logsleuth` from the sources, for tests that need it as a real process (signals). */
import { main } from '../../src/cli/main';

void main(process.argv).then((code) => {
  process.exitCode = code;
});
