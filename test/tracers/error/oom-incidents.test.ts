import { ErrorTracer } from '../../../src/tracers/error';
import { parse } from '../../logs/helpers';

/** The error problems of some syslog lines, through the whole pipeline. */
function problems(lines: string[]) {
  const tracer = new ErrorTracer({ checkHost: false });
  for (const event of parse(lines.join('\n') + '\n').events) tracer.ingest(event);
  tracer.finish();
  return tracer.problems().map((p) => ({
    subkind: p.subkind,
    rule: p.rule,
    severity: p.severity,
    count: p.count,
    template: p.template,
    details: p.details,
  }));
}

const K = (host: string, time: string, text: string) => `Mar  5 ${time} ${host} kernel: [1183407.514202] ${text}`;

/** One kill as Linux 5.x+ and systemd write it. */
function kill(host: string, time: string, trigger: string, pid: number, victim: string): string[] {
  return [
    K(
      host,
      time,
      `${trigger} invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0`,
    ),
    K(host, time, `Mem-Info:`),
    K(
      host,
      time,
      `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/${victim}.service,task=${victim},pid=${pid},uid=33`,
    ),
    K(
      host,
      time,
      `Out of memory: Killed process ${pid} (${victim}) total-vm:1845632kB, anon-rss:1523412kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:3212kB oom_score_adj:0`,
    ),
    K(host, time, `oom_reaper: reaped process ${pid} (${victim}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`),
    `Mar  5 ${time} ${host} systemd[1]: ${victim}.service: A process of this unit has been killed by the OOM killer.`,
    `Mar  5 ${time} ${host} systemd[1]: ${victim}.service: Failed with result 'oom-kill'.`,
  ];
}

describe('OOM incidents', () => {
  it('counts one kill once, whatever number of lines tell it, and names the process that asked for memory', () => {
    expect(problems(kill('web1', '10:00:00', 'celery', 2345, 'gunicorn'))).toEqual([
      {
        subkind: 'oom-kill',
        // the summary line comes first; the `Killed process` line after it says how bad it is
        rule: 'memory/oom-kill',
        severity: 90,
        count: 1,
        template: 'Out of memory: Killed process <*> (gunicorn)',
        details: expect.objectContaining({ process: 'gunicorn', pid: 2345, trigger: 'celery' }),
      },
    ]);
  });

  it('counts each kill of a burst, and each host apart', () => {
    const lines = [
      ...kill('web1', '10:00:00', 'gunicorn', 2345, 'gunicorn'),
      ...kill('web1', '10:00:01', 'gunicorn', 2399, 'gunicorn'),
      ...kill('web2', '10:00:01', 'postgres', 777, 'postgres'),
      ...kill('web1', '11:00:00', 'gunicorn', 2501, 'gunicorn'),
    ];
    const found = problems(lines);
    expect(found.map((p) => [p.template, p.count])).toEqual([
      ['Out of memory: Killed process <*> (gunicorn)', 3],
      ['Out of memory: Killed process <*> (postgres)', 1],
    ]);
    expect(found[0]!.details).not.toHaveProperty('trigger'); // the victim asked for the memory itself
  });

  it('keeps an oom-killer invocation whose kill the log lost (truncated, rotated)', () => {
    const found = problems([kill('web1', '10:00:00', 'java', 1, 'x')[0]!]);
    expect(found).toEqual([expect.objectContaining({ subkind: 'oom-invoked', rule: 'memory/oom-invoked', count: 1 })]);
  });

  it('counts a unit killed by the OOM killer when the kernel lines are in another file', () => {
    const found = problems(kill('web1', '10:00:00', 'a', 1, 'redis').slice(5));
    expect(found.map((p) => [p.subkind, p.count])).toEqual([['oom-kill', 1]]);
  });
});
