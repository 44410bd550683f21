import { parse } from '../helpers';

describe("Tomcat's log (JULI OneLineFormatter)", () => {
  it('reads level, thread and class, and joins the stack trace', () => {
    const { events } = parse(
      [
        '05-Mar-2024 10:15:30.120 SEVERE [http-nio-8080-exec-1] org.apache.catalina.core.StandardWrapperValve.invoke Servlet.service() threw exception',
        'java.lang.NullPointerException: boom',
        '\tat com.example.Foo.bar(Foo.java:10)',
        '05-Mar-2024 10:15:31.000 FINE [main] org.apache.catalina.startup.Catalina.load Initialization',
      ].join('\n') + '\n',
    );
    expect(events.map((e) => [e.format, e.program, e.level, e.raw.split('\n').length])).toEqual([
      ['java', 'tomcat', 'error', 3],
      ['java', 'tomcat', 'debug', 1],
    ]);
    expect(events[0]!.fields).toMatchObject({
      thread: 'http-nio-8080-exec-1',
      logger: 'org.apache.catalina.core.StandardWrapperValve.invoke',
    });
  });
});
