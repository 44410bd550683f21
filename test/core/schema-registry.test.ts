/**
 * The standalone validators the build writes give the verdicts and problems
 * of the validators ajv compiles at run time, schema by schema.
 */
import { schemaNames, schemaRegistry, standaloneValidators } from '../../src/core/schema-registry';
import { SCHEMA_BASE } from '../../src/core/schemas';
import type { ValidateFunction } from 'ajv';

/** Loads a generated module's text as CommonJS, its `require` resolving from here (ajv's runtime helpers). */
function load(code: string): ValidateFunction {
  const module = { exports: {} as unknown };
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  return module.exports as ValidateFunction;
}

function verdict(validate: ValidateFunction, data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('standalone validators', () => {
  const runtime = schemaRegistry();
  const generated = standaloneValidators();

  it('cover every schema', () => {
    expect([...generated.keys()].sort()).toEqual(schemaNames().sort());
    expect(generated.size).toBeGreaterThan(20);
  });

  it('agree with the runtime compile on valid and invalid data', () => {
    const report = {
      version: 1,
      generatedAt: '1970-01-01T00:00:00.000Z',
      inputs: [],
      cases: [],
      sweeps: [],
      chains: [],
      errors: [],
      stats: {},
      findings: [],
    };
    const samples: unknown[] = [{}, null, [], 'text', { version: 'one' }, report, { ...report, cases: [{ ip: 1 }] }];
    const valid: string[] = [];
    for (const [name, code] of generated) {
      const compiled = runtime.getSchema(`${SCHEMA_BASE}${name}.schema.json`)!;
      const standalone = load(code);
      for (const data of samples) {
        const problems = verdict(compiled, data);
        if (problems.length === 0 && data === report) valid.push(name);
        expect([name, verdict(standalone, data)]).toEqual([name, problems]);
      }
    }
    expect(valid).toContain('report');
  });
});
