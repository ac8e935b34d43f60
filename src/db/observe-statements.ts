import { errorMonitor } from 'node:events';
import type pg from 'pg';
import { statementLabel } from './statement-label';

/** Told of every statement a client ran: its label (statementLabel) and seconds from the call to its answer or error. */
export type StatementObserver = (label: string, seconds: number) => void;

type QueryArgs = unknown[];

/**
 * Times each statement `client` runs from then on and reports it to `observe`, the way pg's own
 * interface answers it: a promise, a callback (an argument, as pool.query passes it, or in the
 * config), or a submittable such as a COPY stream, which is done when it ends, finishes or fails.
 * Results and errors pass through unchanged.
 */
export function observeStatements(client: pg.ClientBase, observe: StatementObserver): void {
  const query = client.query.bind(client) as (...args: QueryArgs) => unknown;
  const timed = (...args: QueryArgs): unknown => {
    const started = process.hrtime.bigint();
    let reported = false;
    const done = () => {
      if (reported) return;
      reported = true;
      observe(statementLabel(textOf(args[0])), Number(process.hrtime.bigint() - started) / 1e9);
    };
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (...results: unknown[]) => {
        done();
        return callback(...results);
      };
      return query(...args);
    }
    if (isSubmittable(args[0])) {
      // errorMonitor sees an error without handling it: a stream nobody else listens to still throws.
      for (const event of ['end', 'finish', errorMonitor]) args[0].once(event, done);
      return query(...args);
    }
    const config = args[0] as { callback?: unknown } | null;
    if (typeof config === 'object' && config !== null && typeof config.callback === 'function') {
      // The callback may also come inside the config: pg then answers through it, not a promise.
      const inner = config.callback as (...results: unknown[]) => unknown;
      args[0] = { ...config, callback: (...results: unknown[]) => (done(), inner(...results)) };
      return query(...args);
    }
    const result = query(...args) as Promise<unknown>;
    return result.then(
      (value) => {
        done();
        return value;
      },
      (err: unknown) => {
        done();
        throw err;
      },
    );
  };
  (client as unknown as { query: typeof timed }).query = timed;
}

interface Submittable {
  submit: unknown;
  once(event: string | symbol, listener: () => void): unknown;
}

function isSubmittable(value: unknown): value is Submittable {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Submittable).submit === 'function' &&
    typeof (value as Submittable).once === 'function'
  );
}

/** The SQL of a query given as text, as a config object, or as a submittable (which keeps it in `text`). */
function textOf(config: unknown): string {
  if (typeof config === 'string') return config;
  const text = (config as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : '';
}
